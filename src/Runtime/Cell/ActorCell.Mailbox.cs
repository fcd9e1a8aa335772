namespace MetaRL.Runtime;

/// <summary>A mailbox entry and the node of the lock-free queue at once: the only allocation per message.</summary>
internal sealed class MessageNode(object message, IActorRef? sender)
{
    public readonly object Message = message;
    public readonly IActorRef? Sender = sender;
    public MessageNode? Next;
}

/// <summary>
/// The mailbox: a lock-free multi-producer, single-consumer linked queue (after Vyukov's intrusive MPSC queue,
/// without a stub node, so that an empty mailbox costs two null fields). Producers swap the tail with one
/// Interlocked.Exchange and then link the previous node; the FIFO order is the order of those exchanges, so
/// messages from one sender arrive in the order sent. The consumer is whoever holds the turn (or the drainer of a
/// dead cell).
/// </summary>
internal sealed partial class ActorCell
{
    private void Enqueue(MessageNode node)
    {
        var previous = Interlocked.Exchange(ref _tail, node);
        if (previous is null) Volatile.Write(ref _head, node);
        else Volatile.Write(ref previous.Next, node);
    }

    /// <summary>The oldest node, or null when the mailbox is empty. Single consumer.</summary>
    private MessageNode? DequeueMailbox()
    {
        var h = Volatile.Read(ref _head);
        if (h is null)
        {
            if (Volatile.Read(ref _tail) is null) return null;
            h = SpinUntilHead(); // a producer has swapped the tail from null and is about to set the head
        }
        var next = Volatile.Read(ref h.Next);
        if (next is not null)
        {
            _head = next;
            return h;
        }
        // h looks like the last node: try to empty the queue. The head is cleared first (the CAS is a full fence),
        // so a producer that finds the tail null afterwards writes a head nobody overwrites.
        Volatile.Write(ref _head, null);
        if (Interlocked.CompareExchange(ref _tail, null, h) == h) return h;
        _head = SpinUntilNext(h); // a producer swapped the tail with h as its predecessor and is about to link it
        return h;
    }

    private MessageNode SpinUntilHead()
    {
        var spin = new SpinWait();
        MessageNode? h;
        while ((h = Volatile.Read(ref _head)) is null) spin.SpinOnce();
        return h;
    }

    private static MessageNode SpinUntilNext(MessageNode node)
    {
        var spin = new SpinWait();
        MessageNode? next;
        while ((next = Volatile.Read(ref node.Next)) is null) spin.SpinOnce();
        return next;
    }

    /// <summary>The next user message: unstashed ones first, then the mailbox.</summary>
    private bool TryDequeue(out object message, out IActorRef? sender)
    {
        var x = _extras;
        if (x is not null)
        {
            if (x.Front is { Count: > 0 } front)
            {
                var e = front.Pop();
                message = e.Message;
                sender = e.Sender;
                return true;
            }
            var n = DequeueMailbox();
            if (n is null)
            {
                message = null!;
                sender = null;
                return false;
            }
            x.Gate?.Exit();
            message = n.Message;
            sender = n.Sender;
            return true;
        }
        var node = DequeueMailbox();
        if (node is null)
        {
            message = null!;
            sender = null;
            return false;
        }
        message = node.Message;
        sender = node.Sender;
        return true;
    }

    /// <summary>Moves a dead cell's queued messages to dead letters; the Draining bit makes the drainer the only consumer.</summary>
    private void DrainToDeadLetters()
    {
        while (true)
        {
            int s = Volatile.Read(ref _schedule);
            if ((s & Draining) != 0) return; // the current drainer looks again after it clears the bit
            if (Interlocked.CompareExchange(ref _schedule, s | Draining, s) != s) continue;
            MessageNode? node;
            while ((node = DequeueMailbox()) is not null) System.SendDeadLetter(node.Message, node.Sender, this);
            Interlocked.And(ref _schedule, ~Draining);
            if (Volatile.Read(ref _tail) is null) return;
        }
    }

    /// <summary>A batching actor's turn: everything queued (up to MaxBatch) in one call; auto-received messages cut the batch.</summary>
    private void ProcessBatch(BatchingActor actor)
    {
        int max = _props.Mailbox.MaxBatch;
        var x = Extras;
        var buffer = x.BatchBuffer ??= new Envelope[16];
        int n = 0;
        while (n < max && TryDequeue(out var message, out var sender))
        {
            if (message is AutoReceivedMessage)
            {
                if (n > 0) DeliverBatch(actor, buffer, n);
                n = 0;
                Invoke(message, sender);
                if (Volatile.Read(ref _systemMessages) is not null) ProcessSystemMessages();
                if ((_state & BlocksUser) != 0 || !ReferenceEquals(_actor, actor)) return;
                continue;
            }
            if (n == buffer.Length)
            {
                Array.Resize(ref buffer, n * 2);
                x.BatchBuffer = buffer;
            }
            buffer[n++] = new Envelope(message, sender);
        }
        if (n > 0) DeliverBatch(actor, buffer, n);
    }

    private void DeliverBatch(BatchingActor actor, Envelope[] buffer, int count)
    {
        _message = null;
        _sender = null;
        if (_extras is { ReceiveTimeout: not null } x) x.LastActivity = System.Scheduler.MonotonicClock; // as in Invoke
        try
        {
            actor.InvokeBatch(new ReadOnlySpan<Envelope>(buffer, 0, count));
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        Array.Clear(buffer, 0, count); // the batch's messages must not outlive it
    }
}

/// <summary>
/// The count and the waiting room of a bounded mailbox. Producers take a slot (Interlocked) before they enqueue;
/// the consumer frees one per dequeue and wakes a blocked producer only when one is waiting.
/// </summary>
internal sealed class BoundedGate(int capacity, OverflowStrategy overflow, TimeSpan pushTimeout)
{
    private readonly object _lock = new();
    private int _count;
    private int _waiters;
    private bool _closed;

    public int Count => Volatile.Read(ref _count);

    /// <summary>True: enqueue the message. False: it went to dead letters.</summary>
    public bool TryEnter(ActorCell cell, object message, IActorRef? sender)
    {
        if (Interlocked.Increment(ref _count) <= capacity) return true;
        Interlocked.Decrement(ref _count);
        switch (overflow)
        {
            case OverflowStrategy.Fail:
                throw new MailboxFullException($"mailbox of {cell.Path} is full ({capacity} messages); {message.GetType().Name} was not sent");
            case OverflowStrategy.Block when WaitForRoom():
                return true;
            default:
                cell.System.SendDeadLetter(message, sender, cell);
                return false;
        }
    }

    /// <summary>Takes a slot regardless of the capacity (runtime messages to self must not block).</summary>
    public void ForceEnter() => Interlocked.Increment(ref _count);

    public void Exit()
    {
        Interlocked.Decrement(ref _count);
        if (Volatile.Read(ref _waiters) > 0)
            lock (_lock) Monitor.Pulse(_lock);
    }

    /// <summary>The actor is dead: blocked senders give up (their messages go to dead letters).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            Monitor.PulseAll(_lock);
        }
    }

    private bool WaitForRoom()
    {
        long deadline = pushTimeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)pushTimeout.TotalMilliseconds;
        lock (_lock)
        {
            Interlocked.Increment(ref _waiters);
            try
            {
                while (!_closed)
                {
                    if (Interlocked.Increment(ref _count) <= capacity) return true;
                    Interlocked.Decrement(ref _count);
                    long left = deadline - Environment.TickCount64;
                    if (left <= 0) return false;
                    Monitor.Wait(_lock, (int)Math.Min(left, int.MaxValue));
                }
                return false;
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }
    }
}
