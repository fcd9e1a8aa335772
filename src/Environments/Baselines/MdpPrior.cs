namespace MetaRL.Environments.Baselines;

/// <summary>
/// The conjugate prior the Bayesian MDP baselines put on an unknown tabular MDP: each transition row
/// P[s,a,·] ~ Dirichlet(α₀, …, α₀); each mean reward R[s,a] ~ Normal(μ₀, 1/τ₀); rewards are observed with
/// Gaussian noise of known precision τ (a Normal prior with known noise is the exact conjugate model of the
/// RL² family, whose noise is Normal(0, 1)).
/// </summary>
/// <param name="TransitionConcentration">α₀ of the flat Dirichlet over next states.</param>
/// <param name="RewardMean">μ₀, the prior mean of R[s,a].</param>
/// <param name="RewardPrecision">τ₀ = 1 / prior variance of R[s,a].</param>
/// <param name="NoisePrecision">τ = 1 / variance of the reward noise.</param>
public sealed record MdpPrior(double TransitionConcentration, double RewardMean, double RewardPrecision, double NoisePrecision = 1.0)
{
    /// <summary>
    /// The prior of the TabulaRL library (Osband) that the RL² paper ran its MDP baselines with: Dirichlet(1),
    /// R ~ Normal(0, 1), unit noise. Its reward mean is 0 where the RL² family's is 1, so it is pessimistic.
    /// </summary>
    public static MdpPrior TabulaRl { get; } = new(1.0, 0.0, 1.0);

    /// <summary>The RL² family's true prior: Dirichlet(1), R ~ Normal(1, 1), unit noise.</summary>
    public static MdpPrior Rl2 { get; } = new(1.0, 1.0, 1.0);

    /// <summary>
    /// A vanishing prior (α₀ = τ₀ = 10⁻⁴, μ₀ = 0): estimates are the empirical ones, an unvisited (s, a) pays
    /// 0 and moves uniformly. What TabulaRL's ε-greedy and UCRL2 use.
    /// </summary>
    public static MdpPrior Empirical { get; } = new(1e-4, 0.0, 1e-4);

    /// <summary>Throws when a parameter is out of its domain.</summary>
    public void Validate()
    {
        if (!(TransitionConcentration > 0)) throw new ArgumentOutOfRangeException(nameof(TransitionConcentration), TransitionConcentration, "α₀ must be > 0");
        if (!(RewardPrecision > 0)) throw new ArgumentOutOfRangeException(nameof(RewardPrecision), RewardPrecision, "τ₀ must be > 0");
        if (!(NoisePrecision > 0)) throw new ArgumentOutOfRangeException(nameof(NoisePrecision), NoisePrecision, "τ must be > 0");
        if (!double.IsFinite(RewardMean)) throw new ArgumentOutOfRangeException(nameof(RewardMean), RewardMean, "μ₀ must be finite");
    }
}
