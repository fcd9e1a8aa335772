namespace MetaRL.Environments.Policies;

/// <summary>
/// A policy that may learn within a trial (all classical baselines do). The trial runner calls
/// <see cref="BeginTrial"/> when a new task is drawn, then <see cref="Act"/> and <see cref="Observe"/>
/// once per step, across all the episodes of the trial: what the policy learned persists across
/// episode boundaries and is forgotten only at the next <see cref="BeginTrial"/>.
/// </summary>
public interface IPolicy<TObs, TAction>
{
    /// <summary>A short name for tables, e.g. <c>UCB1</c>.</summary>
    string Name { get; }

    /// <summary>Forgets everything learned; <paramref name="rng"/> is the policy's random stream for this trial.</summary>
    void BeginTrial(Random rng);

    TAction Act(TObs obs);

    /// <summary>The outcome of <see cref="Act"/>: a transition of the current episode.</summary>
    void Observe(TObs obs, TAction action, double reward, TObs nextObs, bool terminated, bool truncated);
}

/// <summary>A policy that is told the true task (oracles, and baselines that need its known structure).</summary>
public interface ITaskAwarePolicy<TTask>
{
    void SetTask(TTask task);
}

/// <summary>
/// A task-aware policy that is also told of every change of a non-stationary task, before the step it applies to
/// (the tracking oracle). Plain <see cref="ITaskAwarePolicy{TTask}"/> policies hear only of the trial's first task.
/// </summary>
public interface ITaskTrackingPolicy<TTask> : ITaskAwarePolicy<TTask>;
