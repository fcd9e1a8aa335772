namespace MetaRL.Environments.Baselines;

/// <summary>
/// An <see cref="MdpPolicy"/> that keeps the conjugate posterior of an <see cref="MdpPrior"/>: the
/// posterior-mean MDP (for certainty-equivalent planning) and posterior draws (for posterior sampling).
/// </summary>
public abstract class BayesMdpPolicy : MdpPolicy
{
    protected BayesMdpPolicy(int states, int actions, int horizon, MdpPrior prior) : base(states, actions, horizon)
    {
        prior.Validate();
        Prior = prior;
        MeanRewards = new double[states * actions];
        MeanTransitions = new double[states * actions * states];
        SampledRewards = new double[states * actions];
        SampledTransitions = new double[states * actions * states];
        _alphas = new double[states];
    }

    public MdpPrior Prior { get; }

    /// <summary>Filled by <see cref="ComputePosteriorMean"/>.</summary>
    protected double[] MeanRewards { get; }

    /// <summary>Filled by <see cref="ComputePosteriorMean"/>.</summary>
    protected double[] MeanTransitions { get; }

    /// <summary>Filled by <see cref="SamplePosterior"/>.</summary>
    protected double[] SampledRewards { get; }

    /// <summary>Filled by <see cref="SamplePosterior"/>.</summary>
    protected double[] SampledTransitions { get; }

    private readonly double[] _alphas;

    /// <summary>Posterior precision of R[s,a]: τ₀ + τ·n.</summary>
    protected double RewardPrecision(int sa) => Prior.RewardPrecision + Prior.NoisePrecision * Visits[sa];

    /// <summary>Posterior mean of R[s,a]: (τ₀ μ₀ + τ Σr) / (τ₀ + τ n).</summary>
    protected double RewardMean(int sa) => (Prior.RewardPrecision * Prior.RewardMean + Prior.NoisePrecision * RewardSums[sa]) / RewardPrecision(sa);

    /// <summary>The posterior-mean MDP: E[R] and E[P] = (α₀ + counts) / (S α₀ + n).</summary>
    protected void ComputePosteriorMean()
    {
        for (int sa = 0; sa < States * Actions; sa++)
        {
            MeanRewards[sa] = RewardMean(sa);
            double total = States * Prior.TransitionConcentration;
            for (int n = 0; n < States; n++) total += TransitionCounts[sa * States + n];
            for (int n = 0; n < States; n++)
                MeanTransitions[sa * States + n] = (Prior.TransitionConcentration + TransitionCounts[sa * States + n]) / total;
        }
    }

    /// <summary>One MDP drawn from the posterior: R[s,a] ~ Normal(mean, 1/precision), P[s,a,·] ~ Dirichlet(α₀ + counts).</summary>
    protected void SamplePosterior()
    {
        for (int sa = 0; sa < States * Actions; sa++)
        {
            SampledRewards[sa] = RewardMean(sa) + Sampling.Normal(Rng) / Math.Sqrt(RewardPrecision(sa));
            for (int n = 0; n < States; n++) _alphas[n] = Prior.TransitionConcentration + TransitionCounts[sa * States + n];
            Sampling.Dirichlet(Rng, _alphas, SampledTransitions.AsSpan(sa * States, States));
        }
    }
}
