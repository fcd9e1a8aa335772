namespace MetaRL.Environments.NonStationary;

/// <summary>
/// A fixed list of (time, task) changes: the task becomes <c>Task</c> before step <c>Time</c> of every trial
/// (time 0 replaces the initial task before the first step). For reproducible evaluations and tests. It
/// remembers its place in the list, so give every env its own instance.
/// </summary>
public sealed class ScriptedChanges<TTask> : ITaskSchedule<TTask>
{
    private readonly (long Time, TTask Task)[] _changes;
    private int _next;

    public ScriptedChanges(IEnumerable<(long Time, TTask Task)> changes)
    {
        _changes = changes.OrderBy(c => c.Time).ToArray();
        for (int i = 0; i < _changes.Length; i++)
        {
            if (_changes[i].Time < 0) throw new ArgumentOutOfRangeException(nameof(changes), _changes[i].Time, "a change time must be >= 0");
            if (i > 0 && _changes[i].Time == _changes[i - 1].Time) throw new ArgumentException($"two changes are scheduled at time {_changes[i].Time}", nameof(changes));
        }
    }

    public IReadOnlyList<(long Time, TTask Task)> Changes => _changes;

    public void Begin(TTask initial) => _next = 0;

    public bool TryChange(long t, TTask current, Random rng, out TTask next)
    {
        while (_next < _changes.Length && _changes[_next].Time < t) _next++; // times already passed (e.g. Begin came late)
        if (_next < _changes.Length && _changes[_next].Time == t)
        {
            next = _changes[_next++].Task;
            return true;
        }
        next = current;
        return false;
    }
}
