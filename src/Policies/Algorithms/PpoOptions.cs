using MetaRL.Environments;

namespace MetaRL.Policies.Algorithms;

/// <summary>How the learning rate moves over the run.</summary>
public enum LearningRateSchedule
{
    Constant,
    Linear,
    Cosine,
}

/// <summary>Which reward the learner's returns are built from.</summary>
public enum RewardSignal
{
    /// <summary>The reward the env paid (what the agent saw and is scored on).</summary>
    Sampled,

    /// <summary>
    /// Its expectation given the state and action, from envs that know it (<c>IMeanReward</c>: bandits, tabular
    /// MDPs): the same expected return, without the reward's own noise in the advantages.
    /// </summary>
    Mean,
}

/// <summary>PPO hyper-parameters (config key <c>ppo</c>).</summary>
public sealed record PpoOptions
{
    /// <summary>Discount γ over the steps of a trial (the return runs on across its episodes).</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE λ; the RL² paper used 0.3.</summary>
    public double Lambda { get; init; } = 0.3;

    /// <summary>
    /// Rewards are multiplied by this before GAE, so the value head learns returns of order 1: a trial's
    /// discounted return can run to tens (100 pulls at γ = 0.99), and a value head that must climb that far
    /// lags for thousands of Adam steps while its errors swamp the advantages. Scores are reported unscaled.
    /// </summary>
    public double RewardScale { get; init; } = 1;

    /// <summary>Train on the sampled rewards or on their means (see <see cref="Algorithms.RewardSignal"/>).</summary>
    public RewardSignal RewardSignal { get; init; } = RewardSignal.Sampled;

    /// <summary>Clip range ε of the probability ratio.</summary>
    public double Clip { get; init; } = 0.1;

    /// <summary>Weight of the value loss.</summary>
    public double ValueCoef { get; init; } = 0.5;

    /// <summary>Weight of the entropy bonus (at the start of the run when <see cref="EntropyCoefEnd"/> is set).</summary>
    public double EntropyCoef { get; init; } = 0.01;

    /// <summary>
    /// When set, the entropy bonus moves linearly from <see cref="EntropyCoef"/> to this over the run: a large
    /// bonus early keeps the policy exploring while the memory learns what to remember, a small one late lets
    /// the policy commit to the arm its memory has found (a fixed bonus keeps paying for pulls it knows are bad).
    /// </summary>
    public double? EntropyCoefEnd { get; init; }

    /// <summary>Passes over each batch of trials.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Minibatches per epoch; each holds whole trials, so sequences stay intact.</summary>
    public int Minibatches { get; init; } = 4;

    /// <summary>Adam's learning rate at the start of the run.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>How the learning rate decays to the end of the run.</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Global gradient-norm clip.</summary>
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Normalise advantages to mean 0, std 1 within each minibatch.</summary>
    public bool NormalizeAdvantages { get; init; } = true;

    /// <summary>The entropy bonus at <paramref name="progress"/> ∈ [0, 1] of the run.</summary>
    public double EntropyCoefAt(double progress) =>
        EntropyCoefEnd is { } end ? EntropyCoef + (end - EntropyCoef) * Math.Clamp(progress, 0, 1) : EntropyCoef;

    public void Validate(OptionErrors errors, string prefix = "ppo")
    {
        errors.InRange($"{prefix}.gamma", Gamma, 0, 1);
        errors.InRange($"{prefix}.lambda", Lambda, 0, 1);
        errors.Require(RewardScale > 0 && double.IsFinite(RewardScale), $"{prefix}.rewardScale", RewardScale, "a positive number");
        errors.Require(Clip > 0 && Clip < 1, $"{prefix}.clip", Clip, "a number in (0, 1)");
        errors.InRange($"{prefix}.valueCoef", ValueCoef, 0, 1e6);
        errors.InRange($"{prefix}.entropyCoef", EntropyCoef, 0, 1e6);
        if (EntropyCoefEnd is { } end) errors.InRange($"{prefix}.entropyCoefEnd", end, 0, 1e6);
        errors.Positive($"{prefix}.epochs", Epochs);
        errors.Positive($"{prefix}.minibatches", Minibatches);
        errors.Positive($"{prefix}.learningRate", LearningRate);
        errors.Positive($"{prefix}.maxGradNorm", MaxGradNorm);
    }
}
