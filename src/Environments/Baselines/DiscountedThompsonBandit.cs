namespace MetaRL.Environments.Baselines;

/// <summary>
/// Discounted Thompson sampling (Raj and Kalyani 2017): the Beta posterior's success and failure counts of every
/// arm decay by γ each pull before the pulled arm's outcome is added, so the posterior widens again for arms left
/// alone and tracks a changing mean. Draws from Beta(γ-discounted successes + 1, γ-discounted failures + 1).
/// </summary>
public sealed class DiscountedThompsonBandit : BanditPolicy
{
    private readonly double[] _successes;
    private readonly double[] _failures;

    public DiscountedThompsonBandit(int arms, double discount) : base(arms)
    {
        if (!(discount > 0 && discount <= 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "the discount must be in (0, 1]");
        Discount = discount;
        _successes = new double[arms];
        _failures = new double[arms];
    }

    public override string Name => "D-TS";

    /// <summary>γ: the weight a past outcome loses every pull.</summary>
    public double Discount { get; }

    public override void BeginTrial(Random rng)
    {
        base.BeginTrial(rng);
        Array.Clear(_successes);
        Array.Clear(_failures);
    }

    public override int Act(int obs)
    {
        for (int a = 0; a < Arms; a++) Scores[a] = Sampling.Beta(Rng, _successes[a] + 1.0, _failures[a] + 1.0);
        return ArgMaxScore();
    }

    public override void Observe(int obs, int action, double reward, int nextObs, bool terminated, bool truncated)
    {
        for (int a = 0; a < Arms; a++)
        {
            _successes[a] *= Discount;
            _failures[a] *= Discount;
        }
        if (reward > 0.5) _successes[action] += 1;
        else _failures[action] += 1;
        base.Observe(obs, action, reward, nextObs, terminated, truncated);
    }
}
