namespace MetaRL.Environments.Baselines;

/// <summary>
/// Bayesian exploration bonus (BEB; Kolter and Ng 2009): value iteration on the posterior-mean MDP with
/// bonuses that fade as (s, a) is tried, so the agent explores what it has seen least and then settles.
/// This is the form of the TabulaRL library (Osband) that the RL² paper ran: at step h of an H-step episode,
/// <code>
/// Q[h,s,a] = R̂[s,a] + 1 / (1 + τ_n[s,a]) + β · (H − h − 1) / (1 + Σ_s' α_n[s,a,s']) + Σ_s' P̂[s,a,s'] V[h+1,s']
/// </code>
/// where τ_n is the posterior precision of the mean reward and α_n the posterior Dirichlet counts: a small
/// reward bonus, and a transition bonus β/(1 + n) for each step still to go (the value of what a visit could
/// teach). Kolter and Ng's theory takes β = 2H²; a 10-episode trial needs far less (README).
/// </summary>
public sealed class BebMdp : BayesMdpPolicy
{
    private readonly double[] _bonusRewards;
    private readonly double[] _bonusPerStepToGo;

    public BebMdp(int states, int actions, int horizon, MdpPrior prior, double beta) : base(states, actions, horizon, prior)
    {
        if (!(beta >= 0) || double.IsInfinity(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be finite and >= 0");
        Beta = beta;
        _bonusRewards = new double[states * actions];
        _bonusPerStepToGo = new double[states * actions];
    }

    /// <summary>The transition bonus per step to go of an unvisited pair is β / (1 + S·α₀).</summary>
    public double Beta { get; }

    public override string Name => "BEB";

    protected override void Plan()
    {
        ComputePosteriorMean();
        for (int sa = 0; sa < _bonusRewards.Length; sa++)
        {
            _bonusRewards[sa] = MeanRewards[sa] + 1.0 / (1.0 + RewardPrecision(sa));
            double counts = States * Prior.TransitionConcentration;
            for (int n = 0; n < States; n++) counts += TransitionCounts[sa * States + n];
            _bonusPerStepToGo[sa] = Beta / (1.0 + counts);
        }
        Solve(_bonusRewards, MeanTransitions, _bonusPerStepToGo);
    }
}
