using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Bandits;

/// <summary>The two-armed bandit families of Wang et al. 2016 ("Learning to reinforcement learn").</summary>
public enum WangBanditVariant
{
    /// <summary>p1, p2 ~ U(0, 1) independently.</summary>
    Independent,

    /// <summary>p2 = 1 − p1, p1 ∈ {0.1, 0.9}.</summary>
    Easy,

    /// <summary>p2 = 1 − p1, p1 ∈ {0.25, 0.75}.</summary>
    Medium,

    /// <summary>p2 = 1 − p1, p1 ∈ {0.4, 0.6}.</summary>
    Hard,

    /// <summary>p2 = 1 − p1, p1 ~ U(0, 1).</summary>
    Uniform,
}

/// <summary>
/// The two-armed Bernoulli bandits of "Learning to reinforcement learn" (Wang et al. 2016), played on
/// <see cref="BernoulliBanditEnv"/> for <see cref="Pulls"/> pulls a trial. In the dependent variants the arms are coupled (p2 = 1 − p1), so
/// one arm's outcome also tells about the other.
/// <para>
/// Splits: <c>test</c> is the same law on its own seed stream (easy/medium/hard have only two tasks, so
/// nothing can be held out). <c>ood</c> breaks what a learner could have exploited: for easy/medium/hard
/// it is dependent with p1 ~ U(0, 1) (values never seen in training); for dependent uniform it is
/// independent arms (the coupling is gone); for independent it is Beta(0.5, 0.5) means.
/// </para>
/// </summary>
public sealed class WangBanditDistribution : ITaskDistribution<BanditTask>
{
    /// <summary>Pulls a trial in Wang et al.</summary>
    public const int Pulls = 100;

    /// <summary>Every variant's bandits have two arms.</summary>
    public const int Arms = 2;

    public WangBanditDistribution(WangBanditVariant variant, TaskSplit split = TaskSplit.Train)
    {
        if (!Enum.IsDefined(variant)) throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown Wang bandit variant");
        Variant = variant;
        Split = split;
    }

    public WangBanditVariant Variant { get; }
    public TaskSplit Split { get; }

    public BanditTask Sample(Random rng)
    {
        if (Split == TaskSplit.Ood)
        {
            return Variant switch
            {
                WangBanditVariant.Independent => new BanditTask([Sampling.Beta(rng, 0.5, 0.5), Sampling.Beta(rng, 0.5, 0.5)]),
                WangBanditVariant.Uniform => new BanditTask([rng.NextDouble(), rng.NextDouble()]),
                _ => Dependent(rng.NextDouble()),
            };
        }
        return Variant switch
        {
            WangBanditVariant.Independent => new BanditTask([rng.NextDouble(), rng.NextDouble()]),
            WangBanditVariant.Easy => Dependent(rng.Next(2) == 0 ? 0.1 : 0.9),
            WangBanditVariant.Medium => Dependent(rng.Next(2) == 0 ? 0.25 : 0.75),
            WangBanditVariant.Hard => Dependent(rng.Next(2) == 0 ? 0.4 : 0.6),
            _ => Dependent(rng.NextDouble()),
        };
    }

    private static BanditTask Dependent(double p1) => new([p1, 1.0 - p1]);
}
