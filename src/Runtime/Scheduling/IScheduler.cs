namespace MetaRL.Runtime;

/// <summary>Something scheduled that can be called off.</summary>
public interface ICancelable
{
    /// <summary>Calls it off; a message already sent stays sent.</summary>
    void Cancel();

    /// <summary>Whether <see cref="Cancel"/> was called.</summary>
    bool IsCancellationRequested { get; }
}

/// <summary>
/// Sends messages (or runs actions) later, once or repeatedly: the system's <see cref="ActorSystem.Scheduler"/>.
/// Time comes from the scheduler itself, so a test scheduler with virtual time drives timers and receive timeouts.
/// </summary>
public interface IScheduler
{
    /// <summary>Wall-clock time as the scheduler sees it.</summary>
    DateTimeOffset Now { get; }

    /// <summary>A monotonic clock (time since the scheduler started).</summary>
    TimeSpan MonotonicClock { get; }

    /// <summary>Tells <paramref name="message"/> to <paramref name="receiver"/> after <paramref name="delay"/>.</summary>
    ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Tells <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> (outside any actor: it should only Tell).</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action action);

    /// <summary>Runs <paramref name="action"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action);
}

/// <summary>One scheduled send or action; also its own cancel handle.</summary>
internal sealed class ScheduledWork : ICancelable
{
    private readonly IActorRef? _receiver;
    private readonly object? _message;
    private readonly IActorRef? _sender;
    private readonly Action? _action;
    private int _cancelled;

    private ScheduledWork(TimeSpan due, TimeSpan period, IActorRef? receiver, object? message, IActorRef? sender, Action? action)
    {
        Due = due;
        Period = period;
        _receiver = receiver;
        _message = message;
        _sender = sender;
        _action = action;
    }

    public TimeSpan Due { get; set; }

    /// <summary>Zero for one-shot work.</summary>
    public TimeSpan Period { get; }

    public bool IsCancellationRequested => Volatile.Read(ref _cancelled) != 0;

    public void Cancel() => Volatile.Write(ref _cancelled, 1);

    public static ScheduledWork Tell(TimeSpan due, TimeSpan period, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        return new(due, period, receiver, message, sender, null);
    }

    public static ScheduledWork Run(TimeSpan due, TimeSpan period, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new(due, period, null, null, null, action);
    }

    public void Execute()
    {
        if (_action is not null) _action();
        else _receiver!.Tell(_message!, _sender);
    }

    public static void CheckDelays(TimeSpan delay, TimeSpan? interval = null)
    {
        if (delay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delay), delay, "a delay must not be negative");
        if (interval is { } i && i <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), i, "an interval must be positive");
    }
}

/// <summary>Scheduled work ordered by due time, then by the order it was scheduled (so equal due times are deterministic).</summary>
internal sealed class TimerHeap
{
    private readonly PriorityQueue<ScheduledWork, (TimeSpan Due, long Seq)> _queue = new();
    private long _seq;

    public int Count => _queue.Count;

    public void Add(ScheduledWork work) => _queue.Enqueue(work, (work.Due, _seq++));

    public bool TryPeekDue(out TimeSpan due)
    {
        while (_queue.TryPeek(out var w, out var key))
        {
            if (!w.IsCancellationRequested)
            {
                due = key.Due;
                return true;
            }
            _queue.Dequeue();
        }
        due = default;
        return false;
    }

    /// <summary>The earliest live work due at or before <paramref name="now"/>; repeating work is put back for its next time.</summary>
    public ScheduledWork? TakeDue(TimeSpan now)
    {
        while (_queue.TryPeek(out var w, out var key))
        {
            if (w.IsCancellationRequested)
            {
                _queue.Dequeue();
                continue;
            }
            if (key.Due > now) return null;
            _queue.Dequeue();
            if (w.Period > TimeSpan.Zero)
            {
                w.Due = key.Due + w.Period;
                Add(w);
            }
            return w;
        }
        return null;
    }

    public void Clear() => _queue.Clear();
}
