namespace MetaRL.Runtime;

/// <summary>Timers owned by one actor (Akka.NET's ITimerScheduler). Only for use inside that actor.</summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="message"/> to the actor once after <paramref name="timeout"/>; replaces a timer with the same key.</summary>
    void StartSingleTimer(object key, object message, TimeSpan timeout);

    /// <summary>Sends <paramref name="message"/> to the actor every <paramref name="interval"/>; replaces a timer with the same key.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    /// <summary>Sends after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>Whether a timer with this key is running (a single timer stops being active when its message is processed).</summary>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer; its message is not delivered even if it is already queued.</summary>
    void Cancel(object key);

    /// <summary>Cancels every timer (done for you when the actor stops or restarts).</summary>
    void CancelAll();
}

/// <summary>A timer's message on its way; dropped on arrival when the timer was cancelled or replaced meanwhile.</summary>
internal sealed record TimerFired(object Key, int Generation, object Message) : AutoReceivedMessage;

internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, (int Generation, ICancelable Task, bool Repeating)> _timers = [];
    private int _generation;

    public void StartSingleTimer(object key, object message, TimeSpan timeout) => Start(key, message, timeout, null);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => Start(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval) => Start(key, message, initialDelay, interval);

    private void Start(object key, object message, TimeSpan delay, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        Cancel(key);
        int generation = ++_generation;
        var fired = new TimerFired(key, generation, message);
        var scheduler = cell.System.Scheduler;
        var task = interval is { } i
            ? scheduler.ScheduleRepeatedly(delay, i, () => cell.TellInternal(fired, null))
            : scheduler.ScheduleOnce(delay, () => cell.TellInternal(fired, null));
        _timers[key] = (generation, task, interval is not null);
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var t)) t.Task.Cancel();
    }

    public void CancelAll()
    {
        foreach (var t in _timers.Values) t.Task.Cancel();
        _timers.Clear();
    }

    /// <summary>True when <paramref name="fired"/> is from the live timer of its key (a single timer is then done).</summary>
    internal bool TakeIfCurrent(TimerFired fired)
    {
        if (!_timers.TryGetValue(fired.Key, out var t) || t.Generation != fired.Generation) return false;
        if (!t.Repeating) _timers.Remove(fired.Key);
        return true;
    }
}
