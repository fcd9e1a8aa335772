namespace MetaRL.Environments.Baselines;

/// <summary>
/// The Gittins index policy for Bernoulli arms with a Beta(1, 1) prior: pull the arm whose posterior state
/// has the largest index in a precomputed <see cref="GittinsIndexTable"/> (ties at random). Optimal for the
/// infinite-horizon discounted problem; on a trial of n pulls it is used with a discount chosen for n (see
/// <see cref="BanditBaselines"/>).
/// </summary>
public sealed class GittinsBandit : BanditPolicy
{
    private readonly GittinsIndexTable _table;

    /// <param name="arms">Number of arms.</param>
    /// <param name="discount">The discount γ of the indices.</param>
    /// <param name="maxPulls">The longest trial it will play (the table covers that many pulls of one arm).</param>
    public GittinsBandit(int arms, double discount, int maxPulls) : base(arms)
    {
        _table = GittinsIndexTable.For(discount, maxPulls);
    }

    public double Discount => _table.Discount;

    public override string Name => "Gittins";

    public override int Act(int obs)
    {
        for (int a = 0; a < Arms; a++) Scores[a] = _table.Index(Successes[a], Pulls[a] - Successes[a]);
        return ArgMaxScore();
    }
}
