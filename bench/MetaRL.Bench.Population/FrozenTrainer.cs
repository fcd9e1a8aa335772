using MetaRL.Policies;

namespace MetaRL.Bench.Population;

/// <summary>
/// A learner's trainer that keeps the parameters as they are: the bench measures the population's acting
/// throughput (agents, tasks, batcher, messages), not PPO, which has its own bench in MetaRL.Bench.Torch.
/// </summary>
internal sealed class FrozenTrainer(float[] parameters) : IPolicyTrainer
{
    public UpdateResult Update(IReadOnlyList<Trajectory> trials, long update, double progress) => new(0, 0, 0, 0, false, null);

    public float[] GetParameters() => parameters;

    /// <summary>Nothing changes, so there is nothing to save beyond the parameters it was built with.</summary>
    public void SaveState(Stream destination) { }

    public void LoadState(Stream source) { }

    public void Dispose() { }
}
