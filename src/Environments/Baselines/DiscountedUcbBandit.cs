namespace MetaRL.Environments.Baselines;

/// <summary>
/// Discounted UCB (Kocsis and Szepesvári 2006; analysed by Garivier and Moulines 2011): every past pull counts
/// with weight γ^(age), so old evidence fades at rate γ. Index <c>mean_γ + c·sqrt(2 ln n_γ / N_γ)</c>, where N_γ
/// is the arm's discounted pull count and n_γ the sum over arms, with the Beta(1, 1) pseudo-counts of our
/// <see cref="Ucb1Bandit"/> (undiscounted: the prior never fades).
/// </summary>
public sealed class DiscountedUcbBandit : BanditPolicy
{
    private readonly double[] _pulls;
    private readonly double[] _successes;

    public DiscountedUcbBandit(int arms, double discount, double c = BanditBaselines.Ucb1C) : base(arms)
    {
        if (!(discount > 0 && discount <= 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "the discount must be in (0, 1]");
        if (!(c >= 0) || double.IsInfinity(c)) throw new ArgumentOutOfRangeException(nameof(c), c, "the exploration scale must be finite and >= 0");
        Discount = discount;
        C = c;
        _pulls = new double[arms];
        _successes = new double[arms];
    }

    public override string Name => "D-UCB";

    /// <summary>γ: the weight a pull loses every step.</summary>
    public double Discount { get; }

    public double C { get; }

    public override void BeginTrial(Random rng)
    {
        base.BeginTrial(rng);
        Array.Clear(_pulls);
        Array.Clear(_successes);
    }

    public override int Act(int obs)
    {
        double total = 0;
        for (int a = 0; a < Arms; a++) total += _pulls[a];
        double logT = total > 1 ? Math.Log(total) : 0;
        for (int a = 0; a < Arms; a++) Scores[a] = UcbIndex(_successes[a], _pulls[a], logT, C);
        return ArgMaxScore();
    }

    public override void Observe(int obs, int action, double reward, int nextObs, bool terminated, bool truncated)
    {
        for (int a = 0; a < Arms; a++)
        {
            _pulls[a] *= Discount;
            _successes[a] *= Discount;
        }
        _pulls[action] += 1;
        if (reward > 0.5) _successes[action] += 1;
        base.Observe(obs, action, reward, nextObs, terminated, truncated);
    }
}
