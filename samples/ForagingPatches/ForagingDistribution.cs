using MetaRL.Environments.Tasks;

namespace ForagingPatches;

/// <summary>
/// Grounds whose patch qualities are drawn independently from U(0, 1); the held-out (test) split is the same law on
/// its own seed stream, the ood split draws from U(0.5, 1) (every patch rich: rotating pays less than it does here).
/// </summary>
public sealed class ForagingDistribution(int patches, TaskSplit split) : ITaskDistribution<ForagingTask>
{
    public TaskSplit Split { get; } = split;

    public ForagingTask Sample(Random rng)
    {
        var quality = new double[patches];
        for (int i = 0; i < patches; i++) quality[i] = Split == TaskSplit.Ood ? 0.5 + 0.5 * rng.NextDouble() : rng.NextDouble();
        return new ForagingTask(quality);
    }
}
