namespace MetaRL.Environments.Baselines;

/// <summary>
/// The Bernoulli-bandit baselines of the RL² paper's table, with the variants and constants that reproduce
/// it (README, "Classical baselines"): Random, Gittins, TS, OTS, UCB1, ε-Greedy, Greedy, and the Oracle.
/// </summary>
public static class BanditBaselines
{
    /// <summary>ε of ε-Greedy. The paper's grid (0, 0.1, …, 1) picks 0 at n = 10, i.e. Greedy; a small fixed ε keeps the two apart and stays within 2 % of the paper on every setup.</summary>
    public const double Epsilon = 0.02;

    /// <summary>UCB1's exploration scale c (with the Beta(1, 1) pseudo-counts), from the paper's grid 0, 0.1, …, 1.</summary>
    public const double Ucb1C = 0.2;

    /// <summary>OTS's joint posterior draws per pull (most probable kept), the top of the paper's grid 1…20.</summary>
    public const int OtsSamples = 20;

    /// <summary>The largest Gittins discount used: bounds the DP table's cost (its depth grows like 1/(1 − γ)).</summary>
    public const double MaxGittinsDiscount = 0.99;

    /// <summary>
    /// Gittins' discount for a trial of <paramref name="pulls"/> pulls: γ = 1 − 1/n, whose effective horizon
    /// 1/(1 − γ) is the trial's length, capped at <see cref="MaxGittinsDiscount"/>.
    /// </summary>
    public static double GittinsDiscount(int pulls) => Math.Clamp(1.0 - 1.0 / Math.Max(pulls, 2), 0.5, MaxGittinsDiscount);

    /// <summary>The suite for <paramref name="arms"/> arms and trials of <paramref name="pulls"/> pulls, in the paper's column order, Oracle last.</summary>
    public static IReadOnlyList<BaselineSpec<int, int>> Create(int arms, int pulls)
    {
        if (arms < 1) throw new ArgumentOutOfRangeException(nameof(arms), arms, "a bandit needs at least one arm");
        if (pulls < 1) throw new ArgumentOutOfRangeException(nameof(pulls), pulls, "a trial needs at least one pull");
        double gamma = GittinsDiscount(pulls);
        return
        [
            new("Random", "uniform arm", () => new RandomBandit(arms)),
            new("Gittins", $"Beta(1,1) prior, DP indices, γ = {gamma:0.###}", () => new GittinsBandit(arms, gamma, pulls)),
            new("TS", "Beta(1,1) prior", () => new ThompsonBandit(arms)),
            new("OTS", $"most probable of {OtsSamples} posterior draws", () => new OptimisticThompsonBandit(arms, OtsSamples, OtsRule.MostProbableOfSamples)),
            new("UCB1", $"c = {Ucb1C}, Beta(1,1) pseudo-counts", () => new Ucb1Bandit(arms, Ucb1C, priorCounts: true)),
            new("ε-Greedy", $"ε = {Epsilon}", () => new EpsilonGreedyBandit(arms, Epsilon)),
            new("Greedy", "Beta(1,1) posterior mean, ties to lowest arm", () => new GreedyBandit(arms)),
            new("Oracle", "knows the means", () => new OracleBandit(arms)),
        ];
    }
}
