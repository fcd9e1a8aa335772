namespace MetaRL.Runtime;

/// <summary>
/// The mailbox: a lock-free multi-producer, single-consumer queue of array segments (<see cref="MailboxSegment"/>).
/// A producer reserves the next slot of the tail segment with one compare-and-swap and then writes it; the producer
/// that reserves one past the end appends the next segment with its message in slot 0. The FIFO order is the order
/// of the reservations, so messages from one sender arrive in the order sent. The consumer is whoever holds the turn
/// (or the drainer of a dead cell). When the consumer finds the mailbox empty it closes the segment and gives it
/// back, so that an idle mailbox costs two null fields; the next message rents a small segment again.
/// <para>
/// Why segments rather than a linked node per message: no allocation per message (the pipelined ping-pong ran a
/// gen0 GC every ~25,000 messages, and queued nodes survived into gen1), and a sender no longer writes a field of
/// the receiver's cell on every message (its reservation counter has a cache line of its own).
/// </para>
/// </summary>
internal sealed partial class ActorCell
{
    private void Enqueue(object message, IActorRef? sender)
    {
        SpinWait spin = default;
        while (true)
        {
            var segment = Volatile.Read(ref _tail);
            if (segment is null)
            {
                if (TryStartMailbox(message, sender)) return;
                continue;
            }
            long state = Volatile.Read(ref segment.Indexes.State);
            // Read after State: if the segment is still our tail now, the generation in `state` is ours, so a
            // successful CAS below reserves a slot of this mailbox (not of one the segment was recycled into).
            if (!ReferenceEquals(Volatile.Read(ref _tail), segment)) continue;
            var slots = segment.Slots;
            while (true)
            {
                int index = MailboxSegment.Count(state);
                if ((state & MailboxSegment.ClosedBit) != 0 || index > slots.Length)
                {
                    spin.SpinOnce(); // the consumer is releasing it, or another producer is appending the next segment
                    break;
                }
                // The producer that takes the slot one past the end appends the next segment: rent it before the
                // CAS, so that the other producers wait only for two writes.
                var next = index == slots.Length ? MailboxSegment.Rent(large: true, message, sender) : null;
                long seen = Interlocked.CompareExchange(ref segment.Indexes.State, state + 1, state);
                if (seen != state)
                {
                    if (next is not null) MailboxSegment.GiveBackUnused(next);
                    if ((seen ^ state) >> 32 != 0) break; // recycled meanwhile: look at the tail again
                    state = seen; // another producer was first: same segment, next slot
                    continue;
                }
                if (next is null)
                {
                    ref var slot = ref slots[index];
                    slot.Sender = sender;
                    Volatile.Write(ref slot.Message, message);
                    return;
                }
                // The tail moves before Next is set: once the consumer sees Next it may recycle this segment, and no
                // producer may find it as the tail after that.
                Volatile.Write(ref _tail, next);
                Volatile.Write(ref segment.Next, next);
                return;
            }
        }
    }

    /// <summary>The mailbox was empty (no segment): install one holding the message, unless another producer was first.</summary>
    private bool TryStartMailbox(object message, IActorRef? sender)
    {
        var segment = MailboxSegment.Rent(large: false, message, sender);
        if (Interlocked.CompareExchange(ref _tail, segment, null) is null)
        {
            Volatile.Write(ref _head, segment); // the consumer cleared the head before the tail, so nobody overwrites this
            return true;
        }
        MailboxSegment.GiveBackUnused(segment);
        return false;
    }

    /// <summary>The oldest message, or false when the mailbox is empty. Single consumer.</summary>
    private bool DequeueMailbox(out object message, out IActorRef? sender)
    {
        var segment = _head;
        if (segment is null)
        {
            if (Volatile.Read(ref _tail) is null)
            {
                message = null!;
                sender = null;
                return false;
            }
            segment = SpinUntilHead(); // a producer has installed the tail and is about to set the head
        }
        while (true)
        {
            var slots = segment.Slots;
            int index = segment.Indexes.Head;
            if (index < slots.Length)
            {
                ref var slot = ref slots[index];
                var m = Volatile.Read(ref slot.Message);
                if (m is not null)
                {
                    message = m;
                    sender = slot.Sender;
                    slot = default; // neither the queue nor a pooled segment may keep a message alive
                    segment.Indexes.Head = index + 1;
                    return true;
                }
            }
            long state = Volatile.Read(ref segment.Indexes.State);
            int reserved = MailboxSegment.Count(state);
            if (reserved == index)
            {
                // Empty: close the segment so that no producer reserves in it any more, then let it go. The head is
                // cleared before the tail, so a producer that finds the tail null afterwards sets a head nobody overwrites.
                if (Interlocked.CompareExchange(ref segment.Indexes.State, state | MailboxSegment.ClosedBit, state) != state) continue;
                _head = null;
                Volatile.Write(ref _tail, null);
                MailboxSegment.Return(segment);
                message = null!;
                sender = null;
                return false;
            }
            if (index < slots.Length)
            {
                SpinUntilWritten(ref slots[index]); // reserved, about to be written
                continue;
            }
            // Every slot consumed and a producer reserved past the end: it is appending the next segment.
            var next = SpinUntilNext(segment);
            _head = next;
            MailboxSegment.Return(segment);
            segment = next;
        }
    }

    /// <summary>
    /// Whether messages are queued, for the end of a turn. An open segment may be empty (a turn that yields after
    /// its last message does not close it), and a spurious extra turn would put the actor behind others that it was
    /// ahead of. Errs only towards true.
    /// </summary>
    private bool MailboxHasMessages()
    {
        var tail = Volatile.Read(ref _tail);
        if (tail is null) return false;
        if (!ReferenceEquals(_head, tail)) return true; // a producer installs the head, or the backlog spans segments
        return MailboxSegment.Count(Volatile.Read(ref tail.Indexes.State)) > tail.Indexes.Head;
    }

    private MailboxSegment SpinUntilHead()
    {
        var spin = new SpinWait();
        MailboxSegment? h;
        while ((h = Volatile.Read(ref _head)) is null) spin.SpinOnce();
        return h;
    }

    private static void SpinUntilWritten(ref MailboxSlot slot)
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref slot.Message) is null) spin.SpinOnce();
    }

    private static MailboxSegment SpinUntilNext(MailboxSegment segment)
    {
        var spin = new SpinWait();
        MailboxSegment? next;
        while ((next = Volatile.Read(ref segment.Next)) is null) spin.SpinOnce();
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
            if (!DequeueMailbox(out message, out sender)) return false;
            x.Gate?.Exit();
            return true;
        }
        return DequeueMailbox(out message, out sender);
    }

    /// <summary>Moves a dead cell's queued messages to dead letters; the Draining bit makes the drainer the only consumer.</summary>
    private void DrainToDeadLetters()
    {
        while (true)
        {
            int s = Volatile.Read(ref _schedule);
            if ((s & Draining) != 0) return; // the current drainer looks again after it clears the bit
            if (Interlocked.CompareExchange(ref _schedule, s | Draining, s) != s) continue;
            while (DequeueMailbox(out var message, out var sender)) System.SendDeadLetter(message, sender, this);
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
