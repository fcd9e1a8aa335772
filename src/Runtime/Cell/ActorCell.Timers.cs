namespace MetaRL.Runtime;

/// <summary>Per-actor timers and the receive timeout.</summary>
internal sealed partial class ActorCell
{
    public ITimerScheduler Timers => Extras.Timers ??= new TimerScheduler(this);

    public TimeSpan? ReceiveTimeout => _extras?.ReceiveTimeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a receive timeout must be positive (null turns it off)");
        if (timeout is null && _extras is null) return;
        var x = Extras;
        x.ReceiveTimeoutTask?.Cancel();
        x.ReceiveTimeoutTask = null;
        x.ReceiveTimeoutGeneration++;
        x.ReceiveTimeout = timeout;
        if (timeout is { } period)
        {
            x.LastActivity = System.Scheduler.MonotonicClock;
            ArmReceiveTimeout(x, period);
        }
    }

    // One pending check per actor, not one timer per message: the check compares the idle time with the timeout
    // and re-arms for the rest when messages came meanwhile.
    private void ArmReceiveTimeout(CellExtras x, TimeSpan delay)
    {
        var check = new ReceiveTimeoutCheck(x.ReceiveTimeoutGeneration);
        x.ReceiveTimeoutTask = System.Scheduler.ScheduleOnce(delay, () => TellInternal(check, null));
    }

    private void HandleReceiveTimeoutCheck(ReceiveTimeoutCheck check)
    {
        if (_extras is not { ReceiveTimeout: { } timeout } x || check.Generation != x.ReceiveTimeoutGeneration) return;
        var now = System.Scheduler.MonotonicClock;
        var idle = now - x.LastActivity;
        if (idle >= timeout)
        {
            x.LastActivity = now;
            ArmReceiveTimeout(x, timeout); // fires again after another idle period, as in Akka
            _sender = null;
            _actor!.Dispatch(Runtime.ReceiveTimeout.Instance);
        }
        else ArmReceiveTimeout(x, timeout - idle);
    }

    private void CancelTimersAndReceiveTimeout(bool keepReceiveTimeout = false)
    {
        if (_extras is not { } x) return;
        x.Timers?.CancelAll();
        if (keepReceiveTimeout) return;
        x.ReceiveTimeoutTask?.Cancel();
        x.ReceiveTimeoutTask = null;
        x.ReceiveTimeout = null;
        x.ReceiveTimeoutGeneration++;
    }
}

/// <summary>A scheduled look at the actor's idle time (stale when its generation is old).</summary>
internal sealed record ReceiveTimeoutCheck(int Generation) : AutoReceivedMessage;
