using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MetaRL.Runtime;

/// <summary>
/// The real-time scheduler: one heap of work and one System.Threading.Timer armed for the earliest due time.
/// Work runs on a thread-pool thread; a repeating send that falls behind fires once per missed period.
/// </summary>
internal sealed class SystemScheduler : IScheduler, IDisposable
{
    private readonly object _lock = new();
    private readonly TimerHeap _heap = new();
    private readonly Timer _timer;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly ILogger _log;
    private TimeSpan _armedFor = TimeSpan.MaxValue;
    private bool _disposed;

    public SystemScheduler(ILogger log)
    {
        _log = log;
        _timer = new Timer(static s => ((SystemScheduler)s!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public DateTimeOffset Now => DateTimeOffset.UtcNow;

    public TimeSpan MonotonicClock => Stopwatch.GetElapsedTime(_start);

    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender)
    {
        ScheduledWork.CheckDelays(delay);
        return Add(ScheduledWork.Tell(MonotonicClock + delay, TimeSpan.Zero, receiver, message, sender));
    }

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        ScheduledWork.CheckDelays(initialDelay, interval);
        return Add(ScheduledWork.Tell(MonotonicClock + initialDelay, interval, receiver, message, sender));
    }

    public ICancelable ScheduleOnce(TimeSpan delay, Action action)
    {
        ScheduledWork.CheckDelays(delay);
        return Add(ScheduledWork.Run(MonotonicClock + delay, TimeSpan.Zero, action));
    }

    public ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action)
    {
        ScheduledWork.CheckDelays(initialDelay, interval);
        return Add(ScheduledWork.Run(MonotonicClock + initialDelay, interval, action));
    }

    private ScheduledWork Add(ScheduledWork work)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                work.Cancel();
                return work;
            }
            _heap.Add(work);
            if (work.Due < _armedFor) Arm(work.Due);
        }
        return work;
    }

    private void Arm(TimeSpan due)
    {
        _armedFor = due;
        double ms = Math.Ceiling((due - MonotonicClock).TotalMilliseconds);
        _timer.Change((long)Math.Clamp(ms, 0, int.MaxValue - 1), Timeout.Infinite);
    }

    private void OnTimer()
    {
        List<ScheduledWork>? due = null;
        lock (_lock)
        {
            if (_disposed) return;
            _armedFor = TimeSpan.MaxValue;
            var now = MonotonicClock;
            while (_heap.TakeDue(now) is { } w) (due ??= []).Add(w);
            if (_heap.TryPeekDue(out var next)) Arm(next);
        }
        if (due is null) return;
        foreach (var w in due)
        {
            try
            {
                if (!w.IsCancellationRequested) w.Execute();
            }
            catch (Exception e)
            {
                _log.LogError(e, "scheduled work threw");
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _heap.Clear();
        }
        _timer.Dispose();
    }
}
