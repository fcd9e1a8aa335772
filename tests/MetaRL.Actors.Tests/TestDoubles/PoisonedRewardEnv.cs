using MetaRL.Environments;
using MetaRL.Environments.Spaces;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>Wraps a task env and returns a NaN reward on its <paramref name="poisonedStep"/>-th step (counted from 0 over its life).</summary>
internal sealed class PoisonedRewardEnv<TObs, TTask>(ITaskEnv<TObs, int, TTask> inner, int poisonedStep) : ITaskEnv<TObs, int, TTask>
{
    private int _steps;

    public Space<TObs> ObservationSpace => inner.ObservationSpace;
    public Space<int> ActionSpace => inner.ActionSpace;
    public TTask Task => inner.Task;

    public void SetTask(TTask task) => inner.SetTask(task);

    public (TObs Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null) => inner.Reset(seed, options);

    public StepResult<TObs> Step(int action)
    {
        var r = inner.Step(action);
        return _steps++ == poisonedStep ? r with { Reward = double.NaN } : r;
    }
}
