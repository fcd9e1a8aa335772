using MetaRL.Environments;
using MetaRL.Environments.Spaces;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>Wraps a task env and throws on a seeded fraction of its steps, as a buggy or flaky simulator would.</summary>
internal sealed class FaultyEnv<TObs, TTask>(ITaskEnv<TObs, int, TTask> inner, double faultRate, int seed) : ITaskEnv<TObs, int, TTask>
{
    private readonly Random _rng = new(seed);

    public Space<TObs> ObservationSpace => inner.ObservationSpace;
    public Space<int> ActionSpace => inner.ActionSpace;
    public TTask Task => inner.Task;

    public void SetTask(TTask task) => inner.SetTask(task);

    public (TObs Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null) => inner.Reset(seed, options);

    public StepResult<TObs> Step(int action)
    {
        if (_rng.NextDouble() < faultRate) throw new InvalidOperationException("simulated env fault");
        return inner.Step(action);
    }
}
