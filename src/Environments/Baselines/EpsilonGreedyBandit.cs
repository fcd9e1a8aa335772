namespace MetaRL.Environments.Baselines;

/// <summary>
/// With probability ε pulls a uniformly random arm, otherwise acts as <see cref="GreedyBandit"/> (largest
/// Beta(1, 1) posterior mean, ties to the lowest-numbered arm).
/// </summary>
public sealed class EpsilonGreedyBandit : BanditPolicy
{
    public EpsilonGreedyBandit(int arms, double epsilon) : base(arms)
    {
        if (!(epsilon >= 0 && epsilon <= 1)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be in [0, 1]");
        Epsilon = epsilon;
    }

    public double Epsilon { get; }

    public override string Name => "ε-Greedy";

    public override int Act(int obs)
    {
        if (Rng.NextDouble() < Epsilon) return Rng.Next(Arms);
        for (int a = 0; a < Arms; a++) Scores[a] = PosteriorMean(a);
        return ArgMaxScoreFirst();
    }
}
