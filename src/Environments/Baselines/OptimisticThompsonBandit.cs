namespace MetaRL.Environments.Baselines;

/// <summary>How <see cref="OptimisticThompsonBandit"/> turns several posterior draws into one score per arm.</summary>
public enum OtsRule
{
    /// <summary>
    /// Optimistic sampling (May et al. 2012; Chapelle and Li 2011): an arm scores the largest of its draws
    /// and its posterior mean, so sampling noise only ever helps an uncertain arm.
    /// </summary>
    MaxOfSamples,

    /// <summary>
    /// The RL² paper's variant: draw m joint samples of all arms' means and keep the one with the highest
    /// posterior density. More samples pull the kept draw towards the posterior mode, so m tunes how greedy
    /// the sampler is (m = 1 is plain Thompson sampling).
    /// </summary>
    MostProbableOfSamples,
}

/// <summary>
/// Thompson sampling over the Beta(1, 1) posterior with several draws per pull, combined by an
/// <see cref="OtsRule"/>. See the README for which rule and sample count the baselines table uses, and why.
/// </summary>
public sealed class OptimisticThompsonBandit : BanditPolicy
{
    private readonly double[] _draw;

    public OptimisticThompsonBandit(int arms, int samples, OtsRule rule = OtsRule.MostProbableOfSamples) : base(arms)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "OTS needs at least one posterior sample per pull");
        Samples = samples;
        Rule = rule;
        _draw = new double[arms];
    }

    /// <summary>Posterior draws per pull (per arm for <see cref="OtsRule.MaxOfSamples"/>, joint for <see cref="OtsRule.MostProbableOfSamples"/>).</summary>
    public int Samples { get; }

    public OtsRule Rule { get; }

    public override string Name => "OTS";

    public override int Act(int obs)
    {
        if (Rule == OtsRule.MaxOfSamples)
        {
            for (int a = 0; a < Arms; a++)
            {
                double alpha = Successes[a] + 1.0, beta = Pulls[a] - Successes[a] + 1.0;
                double score = alpha / (alpha + beta);
                for (int i = 0; i < Samples; i++) score = Math.Max(score, Sampling.Beta(Rng, alpha, beta));
                Scores[a] = score;
            }
            return ArgMaxScore();
        }

        double best = double.NegativeInfinity;
        for (int i = 0; i < Samples; i++)
        {
            // Log density of the joint draw up to a constant: Σ (α−1) ln x + (β−1) ln(1−x); the Beta
            // normalisers are the same for every draw, so they cancel in the comparison.
            double logDensity = 0;
            for (int a = 0; a < Arms; a++)
            {
                int s = Successes[a], f = Pulls[a] - Successes[a];
                double x = Sampling.Beta(Rng, s + 1.0, f + 1.0);
                _draw[a] = x;
                if (s > 0) logDensity += s * Math.Log(x);
                if (f > 0) logDensity += f * Math.Log(1 - x);
            }
            if (i == 0 || logDensity > best)
            {
                best = logDensity;
                _draw.CopyTo(Scores, 0);
            }
        }
        return ArgMaxScore();
    }
}
