using Microsoft.Extensions.Logging;

namespace MetaRL.Runtime;

/// <summary>
/// One actor: its ref, its context, its mailbox and its place in the hierarchy, in one small object (no separate
/// mailbox or ref objects), because a population holds millions of them. The actor instance is swapped on restart;
/// the cell (and so the ref and the mailbox) stays.
/// <para>
/// Concurrency: any thread may Tell and send system messages; only the thread running the actor's turn touches the
/// rest. <see cref="_schedule"/> is the one flag that makes a turn exclusive: whoever flips it from idle to
/// scheduled hands the cell to the dispatcher, and the turn clears it at the end.
/// </para>
/// </summary>
internal sealed partial class ActorCell : IInternalActorRef, IActorContext, IThreadPoolWorkItem
{
    // Bits of _schedule (Interlocked, any thread).
    private const int Scheduled = 1;     // in a dispatcher queue or running: at most one turn at a time
    private const int UserSuspended = 2; // user messages wait (failed, awaiting an async handler, stopping): Tell does not schedule
    private const int Closed = 4;        // dead: user messages go to dead letters; the cell is never scheduled again
    private const int Draining = 8;      // someone moves a dead cell's queued messages to dead letters

    /// <summary>Bits of <see cref="_state"/>, written only inside the actor's turn.</summary>
    [Flags]
    private enum CellState
    {
        Created = 1,
        Failed = 2,        // threw; waits for its supervisor's directive
        AwaitingAsync = 4, // an async handler runs; the next message waits
        Terminating = 8,   // stopping: waits for its children
        Terminated = 16,   // PostStop done
        Recreating = 32,   // restarting: waits for the children PreRestart stopped
    }

    private const CellState BlocksUser = CellState.Failed | CellState.AwaitingAsync | CellState.Terminating | CellState.Terminated | CellState.Recreating;

    [ThreadStatic] private static ActorCell? t_current;
    [ThreadStatic] private static ActorCell? t_constructing;

    /// <summary>The sender that <c>Tell(message)</c> uses outside actors (a TestKit sets its test actor here).</summary>
    internal static readonly AsyncLocal<IActorRef?> ImplicitSender = new();

    // Field order matters (the runtime keeps declaration order among fields of one size): what the turn writes on
    // every message comes first and what senders read on every Tell last, more than 64 bytes apart, so that a busy
    // receiver does not take the cache line its senders need away from them on each message.
    private object? _message;
    private IActorRef? _sender;
    private MailboxSegment? _head; // consumer end of the mailbox; null when empty (see ActorCell.Mailbox.cs)
    private ActorBase? _actor;
    private readonly ActorCell? _parent;
    private readonly Props _props;
    private readonly string _name;
    private Dictionary<string, ActorCell>? _children; // lock(this): ActorOf may come from outside the turn
    private SystemMessage? _systemMessages; // newest first (CAS push); reversed when taken
    private readonly MessageDispatcher _dispatcher;
    private CellExtras? _extras;  // everything most actors never use
    private MailboxSegment? _tail; // producer end
    private int _schedule;
    private CellState _state;
    private readonly int _uid;

    internal ActorCell(ActorCell? parent, Props props, string name, MessageDispatcher dispatcher, int uid)
    {
        _parent = parent;
        _props = props;
        _name = name;
        _dispatcher = dispatcher;
        _uid = uid;
        _schedule = Scheduled; // the first turn (create + PreStart) is scheduled by Start
        if (props.Mailbox.Capacity is int capacity)
            Extras.Gate = new BoundedGate(capacity, props.Mailbox.Overflow, props.Mailbox.PushTimeout);
    }

    public ActorSystem System => _dispatcher.System;
    public Props Props => _props;
    public string Name => _name;
    internal ActorCell? ParentCell => _parent;
    public IActorRef Self => this;
    public IActorRef Sender => _sender ?? System.DeadLetters;
    public IActorRef Parent => (IActorRef?)_parent ?? ActorRefs.Nobody;
    public ActorPath Path => _parent is null ? ActorPath.Root(System.Name) : _parent.Path / _name;
    internal bool IsTerminated => (Volatile.Read(ref _schedule) & Closed) != 0;
    private CellExtras Extras => _extras ??= new CellExtras();

    /// <summary>The actor running on this thread, if any.</summary>
    internal static ActorCell? Current => t_current;

    /// <summary>The sender <c>Tell(message)</c> uses: the running actor, else the implicit sender (TestKit), else none.</summary>
    internal static IActorRef? CurrentSelfOrImplicit => t_current ?? ImplicitSender.Value;

    /// <summary>The running actor's current sender (for Forward).</summary>
    internal static IActorRef? CurrentSender => t_current is { } c ? c._sender : ImplicitSender.Value;

    internal static ActorCell? TakeConstructing()
    {
        var c = t_constructing;
        t_constructing = null; // only the outermost instance binds; a stray `new SomeActor()` inside a constructor fails
        return c;
    }

    /// <summary>Hands the new cell its first turn (create the instance, PreStart).</summary>
    internal void Start() => _dispatcher.Schedule(this);

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if ((Volatile.Read(ref _schedule) & Closed) != 0)
        {
            System.SendDeadLetter(message, sender, this);
            return;
        }
        if (_extras?.Gate is { } gate && !gate.TryEnter(this, message, sender)) return;
        Enqueue(message, sender);
        int s = Volatile.Read(ref _schedule);
        if (s == 0)
        {
            if (Interlocked.CompareExchange(ref _schedule, Scheduled, 0) == 0) _dispatcher.Schedule(this);
        }
        else if ((s & Closed) != 0) DrainToDeadLetters();
    }

    /// <summary>A message from the runtime itself (timers, receive timeout, Terminated): never blocked by a bounded mailbox.</summary>
    internal void TellInternal(object message, IActorRef? sender)
    {
        if ((Volatile.Read(ref _schedule) & Closed) != 0) return;
        _extras?.Gate?.ForceEnter();
        Enqueue(message, sender);
        int s = Volatile.Read(ref _schedule);
        if (s == 0)
        {
            if (Interlocked.CompareExchange(ref _schedule, Scheduled, 0) == 0) _dispatcher.Schedule(this);
        }
        else if ((s & Closed) != 0) DrainToDeadLetters();
    }

    public void SendSystemMessage(SystemMessage message)
    {
        while (true)
        {
            var head = Volatile.Read(ref _systemMessages);
            if (ReferenceEquals(head, ClosedMarker.Instance))
            {
                OnSystemMessageToDeadCell(message);
                return;
            }
            message.Next = head;
            if (Interlocked.CompareExchange(ref _systemMessages, message, head) == head) break;
        }
        TrySchedule();
    }

    private void TrySchedule()
    {
        while (true)
        {
            int s = Volatile.Read(ref _schedule);
            if ((s & (Scheduled | Closed)) != 0) return;
            if (Interlocked.CompareExchange(ref _schedule, s | Scheduled, s) == s)
            {
                _dispatcher.Schedule(this);
                return;
            }
        }
    }

    /// <summary>One turn: system messages first, then up to Throughput user messages (or one batch).</summary>
    void IThreadPoolWorkItem.Execute()
    {
        var previous = t_current;
        t_current = this;
        try
        {
            if ((_state & CellState.Created) == 0) Create();
            ProcessSystemMessages();
            if ((_state & BlocksUser) == 0) ProcessUserMessages();
        }
        catch (Exception e)
        {
            // Actor code's exceptions are caught where they are thrown; this is a runtime bug. Never take the process down.
            System.RuntimeLog.LogCritical(e, "runtime error in the turn of {ActorPath}", Path.ToStringWithoutAddress());
        }
        finally
        {
            if ((_state & CellState.AwaitingAsync) == 0)
            {
                _message = null; // do not keep the last message alive in an idle actor
                _sender = null;
            }
            t_current = previous;
        }
        EndTurn();
    }

    private void EndTurn()
    {
        bool frontPending = _extras?.Front is { Count: > 0 };
        int s;
        while (true)
        {
            s = Volatile.Read(ref _schedule);
            if ((s & Closed) != 0) return; // a dead cell stays "scheduled" so that nobody schedules it again
            if (Interlocked.CompareExchange(ref _schedule, s & ~Scheduled, s) == s) break;
        }
        // A producer that saw "scheduled" before the clear did not schedule us: look again (both sides use full fences).
        if (Volatile.Read(ref _systemMessages) is not null
            || ((s & UserSuspended) == 0 && (frontPending || MailboxHasMessages())))
            TrySchedule();
    }

    private void ProcessUserMessages()
    {
        if (_actor is BatchingActor batching)
        {
            ProcessBatch(batching);
            return;
        }
        while (true)
        {
            for (int budget = _dispatcher.Throughput; budget > 0; budget--)
            {
                if (!TryDequeue(out var message, out var sender)) return;
                Invoke(message, sender);
                if (Volatile.Read(ref _systemMessages) is not null) ProcessSystemMessages();
                if ((_state & BlocksUser) != 0) return;
            }
            if (_dispatcher.OthersWaiting) return; // yield to them; EndTurn schedules this actor again
        }
    }

    private void Invoke(object message, IActorRef? sender)
    {
        _message = message;
        _sender = sender;
        // Idle time counts from when the last message was taken, not from when its handler returned: with a
        // virtual clock the moment is then fixed by the test, not by how fast the worker ran the handler.
        if (_extras is { ReceiveTimeout: not null } x && message is not ReceiveTimeoutCheck) x.LastActivity = System.Scheduler.MonotonicClock;
        try
        {
            if (message is AutoReceivedMessage auto) HandleAutoReceived(auto);
            else _actor!.Dispatch(message);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
    }

    private void HandleAutoReceived(AutoReceivedMessage message)
    {
        switch (message)
        {
            case PoisonPill:
                SendSystemMessage(new Terminate()); // processed right after this message
                break;
            case Kill:
                throw new ActorKilledException($"{Path} was killed by a Kill message");
            case Terminated t:
                if (_extras?.TerminatedQueued?.Remove(t.ActorRef) == true) _actor!.Dispatch(t); // else: unwatched meanwhile
                break;
            case TimerFired fired:
                if (_extras?.Timers is { } timers && timers.TakeIfCurrent(fired))
                {
                    _sender = null;
                    _actor!.Dispatch(fired.Message);
                }
                break;
            case ReceiveTimeoutCheck check:
                HandleReceiveTimeoutCheck(check);
                break;
        }
    }

    private void ProcessSystemMessages()
    {
        while ((_state & CellState.Terminated) == 0 && Volatile.Read(ref _systemMessages) is not null)
        {
            var list = Interlocked.Exchange(ref _systemMessages, null);
            SystemMessage? fifo = null;
            while (list is not null)
            {
                var next = list.Next;
                list.Next = fifo;
                fifo = list;
                list = next;
            }
            while (fifo is not null)
            {
                var m = fifo;
                fifo = m.Next;
                m.Next = null;
                if ((_state & CellState.Terminated) != 0) OnSystemMessageToDeadCell(m);
                else HandleSystemMessage(m);
            }
        }
    }

    private void HandleSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Terminate: HandleTerminate(); break;
            case ChildTerminated c: HandleChildTerminated(c.Child); break;
            case Failed f: HandleFailed(f); break;
            case Resume: HandleResume(); break;
            case Recreate r: HandleRecreate(r.Cause); break;
            case Watch w: HandleWatch(w); break;
            case Unwatch u: HandleUnwatch(u); break;
            case DeathWatchNotification d: HandleDeathWatchNotification(d.Actor); break;
            case AsyncContinuation a: RunContinuation(a); break;
            case AsyncCompleted a: HandleAsyncCompleted(a.Task); break;
        }
    }

    private void SetState(CellState add, CellState remove = 0)
    {
        var before = _state;
        _state = (before | add) & ~remove;
        bool wasBlocked = (before & BlocksUser) != 0, isBlocked = (_state & BlocksUser) != 0;
        if (isBlocked && !wasBlocked) Interlocked.Or(ref _schedule, UserSuspended);
        else if (!isBlocked && wasBlocked) Interlocked.And(ref _schedule, ~UserSuspended);
    }

    public override string ToString() => $"[{Path}#{_uid}]";
}
