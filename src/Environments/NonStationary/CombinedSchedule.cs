namespace MetaRL.Environments.NonStationary;

/// <summary>
/// Several schedules at once (<c>switch-every:50+drift:0.01</c>): before each step every part is asked in order,
/// each seeing the task the parts before it left, so a switch and a drift at the same step give the drifted new
/// task. The step reports a switch when any part switched, else a drift when any part drifted.
/// </summary>
public sealed class CombinedSchedule<TTask> : ITaskSchedule<TTask>
{
    public CombinedSchedule(IReadOnlyList<ITaskSchedule<TTask>> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("a combined schedule needs at least one part", nameof(parts));
        Parts = parts;
    }

    public IReadOnlyList<ITaskSchedule<TTask>> Parts { get; }

    public void Begin(TTask initial)
    {
        foreach (var p in Parts) p.Begin(initial);
    }

    public TaskChange TryChange(long t, TTask current, Random rng, out TTask next)
    {
        var change = TaskChange.None;
        next = current;
        foreach (var p in Parts)
        {
            var c = p.TryChange(t, next, rng, out next);
            if (c > change) change = c; // Switch > Drift > None
        }
        return change;
    }
}
