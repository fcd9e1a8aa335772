using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.NonStationary;

/// <summary>
/// A fixed list of switches: before step <c>Time</c> of every trial the task becomes the scripted one, or a fresh
/// draw from <see cref="Distribution"/> where the script names no task (time 0 replaces the initial task before the
/// first step). For reproducible evaluations and tests, and for <c>scripted:FILE.json</c>. It remembers its place
/// in the list, so give every env its own instance.
/// </summary>
public sealed class ScriptedChanges<TTask> : ITaskSchedule<TTask>
{
    private readonly (long Time, bool Scripted, TTask Task)[] _changes;
    private int _next;

    /// <summary>Switches to the given tasks at the given times.</summary>
    public ScriptedChanges(IEnumerable<(long Time, TTask Task)> changes) : this(changes.Select(c => (c.Time, true, c.Task)), null) { }

    /// <summary>
    /// Switches at the given times, to the entry's task where <c>Scripted</c> is true and otherwise to a draw from
    /// <paramref name="distribution"/> (required then).
    /// </summary>
    public ScriptedChanges(IEnumerable<(long Time, bool Scripted, TTask Task)> changes, ITaskDistribution<TTask>? distribution)
    {
        _changes = changes.OrderBy(c => c.Time).ToArray();
        for (int i = 0; i < _changes.Length; i++)
        {
            if (_changes[i].Time < 0) throw new ArgumentOutOfRangeException(nameof(changes), _changes[i].Time, "a change time must be >= 0");
            if (i > 0 && _changes[i].Time == _changes[i - 1].Time) throw new ArgumentException($"two changes are scheduled at time {_changes[i].Time}", nameof(changes));
            if (!_changes[i].Scripted && distribution is null)
                throw new ArgumentException($"the change at time {_changes[i].Time} names no task and there is no distribution to draw one from", nameof(distribution));
        }
        Distribution = distribution;
    }

    /// <summary>Where the switches that name no task draw theirs.</summary>
    public ITaskDistribution<TTask>? Distribution { get; }

    public void Begin(TTask initial) => _next = 0;

    public TaskChange TryChange(long t, TTask current, Random rng, out TTask next)
    {
        while (_next < _changes.Length && _changes[_next].Time < t) _next++; // times already passed (e.g. Begin came late)
        if (_next < _changes.Length && _changes[_next].Time == t)
        {
            var c = _changes[_next++];
            next = c.Scripted ? c.Task : Distribution!.Sample(rng);
            return TaskChange.Switch;
        }
        next = current;
        return TaskChange.None;
    }
}
