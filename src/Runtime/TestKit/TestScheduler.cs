namespace MetaRL.Runtime.TestKit;

/// <summary>
/// A scheduler with virtual time: nothing fires until the test calls <see cref="Advance"/>, and then everything due
/// fires in due-time order (ties in the order scheduled), on the calling thread. Pass it as
/// <see cref="ActorSystemSettings.Scheduler"/> (or create the TestKit with <c>useTestScheduler: true</c>) to test
/// timers, receive timeouts and scheduled messages without waiting.
/// </summary>
public sealed class TestScheduler : IScheduler
{
    private readonly object _lock = new();
    private readonly TimerHeap _heap = new();
    private readonly DateTimeOffset _start;
    private TimeSpan _now;

    /// <summary>A scheduler whose clock starts at <paramref name="start"/> (default 2020-01-01 UTC).</summary>
    public TestScheduler(DateTimeOffset? start = null) => _start = start ?? new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Now => _start + MonotonicClock;

    public TimeSpan MonotonicClock
    {
        get
        {
            lock (_lock) return _now;
        }
    }

    /// <summary>Work scheduled and not yet run or cancelled.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                _heap.TryPeekDue(out _); // drops cancelled work at the top
                return _heap.Count;
            }
        }
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>, running everything that falls due, each at its due time.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), by, "virtual time only moves forward");
        AdvanceTo(MonotonicClock + by);
    }

    /// <summary>Moves the clock to <paramref name="time"/> (time since the scheduler started), running what falls due.</summary>
    public void AdvanceTo(TimeSpan time)
    {
        while (true)
        {
            ScheduledWork? work;
            lock (_lock)
            {
                if (time < _now) throw new ArgumentOutOfRangeException(nameof(time), time, $"virtual time only moves forward (now {_now})");
                if (!_heap.TryPeekDue(out var due) || due > time)
                {
                    _now = time;
                    return;
                }
                if (due > _now) _now = due;
                work = _heap.TakeDue(_now);
            }
            if (work is not null && !work.IsCancellationRequested) work.Execute();
        }
    }

    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender)
    {
        ScheduledWork.CheckDelays(delay);
        return Add(now => ScheduledWork.Tell(now + delay, TimeSpan.Zero, receiver, message, sender));
    }

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        ScheduledWork.CheckDelays(initialDelay, interval);
        return Add(now => ScheduledWork.Tell(now + initialDelay, interval, receiver, message, sender));
    }

    public ICancelable ScheduleOnce(TimeSpan delay, Action action)
    {
        ScheduledWork.CheckDelays(delay);
        return Add(now => ScheduledWork.Run(now + delay, TimeSpan.Zero, action));
    }

    public ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action)
    {
        ScheduledWork.CheckDelays(initialDelay, interval);
        return Add(now => ScheduledWork.Run(now + initialDelay, interval, action));
    }

    private ScheduledWork Add(Func<TimeSpan, ScheduledWork> make)
    {
        lock (_lock)
        {
            var work = make(_now);
            _heap.Add(work);
            return work;
        }
    }
}
