namespace MetaRL.Environments.Bandits;

/// <summary>
/// One multi-armed bandit: the mean payoff of each arm. Treat <see cref="Means"/> as read-only;
/// tasks are shared between envs and baselines.
/// </summary>
public sealed record BanditTask(double[] Means)
{
    public int Arms => Means.Length;

    /// <summary>The largest mean: the oracle's expected reward per pull.</summary>
    public double BestMean => Means.Max();
}
