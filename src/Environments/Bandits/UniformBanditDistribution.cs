using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Bandits;

/// <summary>
/// RL²'s bandit tasks: each arm's mean ~ Uniform(0, 1), independently. The <c>test</c> split is the same
/// law on its own seed stream; the <c>ood</c> split draws means from Beta(0.5, 0.5), which piles mass near
/// 0 and 1 (easier to tell apart, so exploring for long is wasteful).
/// </summary>
public sealed class UniformBanditDistribution : ITaskDistribution<BanditTask>
{
    public UniformBanditDistribution(int arms, TaskSplit split = TaskSplit.Train)
    {
        if (arms < 1) throw new ArgumentOutOfRangeException(nameof(arms), arms, "a bandit needs at least one arm");
        Arms = arms;
        Split = split;
    }

    public int Arms { get; }
    public TaskSplit Split { get; }

    public BanditTask Sample(Random rng)
    {
        var means = new double[Arms];
        for (int i = 0; i < Arms; i++)
            means[i] = Split == TaskSplit.Ood ? Sampling.Beta(rng, 0.5, 0.5) : rng.NextDouble();
        return new BanditTask(means);
    }
}
