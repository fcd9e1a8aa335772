namespace MetaRL.Environments.NonStationary;

/// <summary>What a schedule did before a step: nothing, a gradual drift of the task's parameters, or a switch to another task.</summary>
public enum TaskChange
{
    None,

    /// <summary>The task's parameters moved a little (<see cref="GaussianDrift{TTask}"/>): a restless task, not a change point.</summary>
    Drift,

    /// <summary>The task was replaced (a fresh draw or a scripted task): a change point, after which recovery is measured.</summary>
    Switch,
}

/// <summary>
/// When and how the task changes inside a trial. Time <c>t</c> counts the steps taken since the trial
/// began (since <see cref="NonStationaryEnv{TObs,TAction,TTask}.SetTask"/>), across episode boundaries.
/// </summary>
public interface ITaskSchedule<TTask>
{
    /// <summary>A new trial begins with <paramref name="initial"/>; forget any position in the schedule.</summary>
    void Begin(TTask initial);

    /// <summary>
    /// Asked once for every step <paramref name="t"/> = 0, 1, 2, … before it is taken: what changes now, with the
    /// task in force from that step on in <paramref name="next"/> (<paramref name="current"/> when nothing changes).
    /// <paramref name="rng"/> is the wrapping env's schedule stream; draw from it the same way whatever the agent does,
    /// so that change times and new tasks depend on the seed alone.
    /// </summary>
    TaskChange TryChange(long t, TTask current, Random rng, out TTask next);
}
