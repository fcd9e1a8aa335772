using MetaRL.Environments.Spaces;

namespace MetaRL.Environments;

/// <summary>
/// A Gymnasium-shaped environment: <see cref="Reset"/> starts an episode, <see cref="Step"/> advances it.
/// Stepping after an episode ended without a reset is an error.
/// </summary>
public interface IEnv<TObs, TAction>
{
    Space<TObs> ObservationSpace { get; }
    Space<TAction> ActionSpace { get; }

    /// <summary>Starts a new episode. A seed reseeds the env's own random stream (as in Gymnasium).</summary>
    (TObs Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null);

    StepResult<TObs> Step(TAction action);
}

/// <summary>An environment whose dynamics are set by a task record drawn from a <see cref="ITaskDistribution{TTask}"/>.</summary>
public interface ITaskEnv<TObs, TAction, TTask> : IEnv<TObs, TAction>
{
    /// <summary>The task in force.</summary>
    TTask Task { get; }

    /// <summary>Sets the task; takes effect immediately, also in the middle of an episode (non-stationary schedules rely on this).</summary>
    void SetTask(TTask task);
}
