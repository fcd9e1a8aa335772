namespace MetaRL.Environments.Baselines;

/// <summary>
/// UCB1 (Auer, Cesa-Bianchi and Fischer 2002) with an exploration scale c: pull the arm maximising
/// <c>mean_a + c·sqrt(2 ln t / n_a)</c>, t being the pulls so far. Classic UCB1 (c = 1, empirical means)
/// first pulls every arm once, which alone costs half of a 10-pull trial with 10 arms. With
/// <see cref="PriorCounts"/> (the variant the RL² paper tuned) means and counts include the Beta(1, 1)
/// prior's two pseudo-pulls, mean (s + 1)/(n + 2) and count n + 2, so it can exploit from the first pull;
/// there the bonus is 0 until t ≥ 2 (ln 1 = 0; t = 0 has no bonus either).
/// </summary>
public sealed class Ucb1Bandit : BanditPolicy
{
    public Ucb1Bandit(int arms, double c = 1.0, bool priorCounts = false) : base(arms)
    {
        if (!(c >= 0) || double.IsInfinity(c)) throw new ArgumentOutOfRangeException(nameof(c), c, "the exploration scale must be finite and >= 0");
        C = c;
        PriorCounts = priorCounts;
    }

    public double C { get; }

    /// <summary>Whether means and counts include the Beta(1, 1) prior's two pseudo-pulls.</summary>
    public bool PriorCounts { get; }

    public override string Name => "UCB1";

    public override int Act(int obs)
    {
        double logT = Time > 0 ? Math.Log(Time) : 0;
        for (int a = 0; a < Arms; a++)
        {
            if (!PriorCounts && Pulls[a] == 0) { Scores[a] = double.PositiveInfinity; continue; }
            double n = PriorCounts ? Pulls[a] + 2.0 : Pulls[a];
            double mean = PriorCounts ? PosteriorMean(a) : (double)Successes[a] / Pulls[a];
            Scores[a] = mean + C * Math.Sqrt(2 * logT / n);
        }
        return ArgMaxScore();
    }
}
