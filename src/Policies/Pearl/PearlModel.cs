using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Pearl;

/// <summary>
/// PEARL (Rakelly et al. 2019) as an in-context model trained by PPO: a probabilistic context encoder whose posterior
/// over a latent task variable z is the memory, and a policy π(a | s, z) that sees the task only through z.
/// <code>
///   each transition c = (s, a, r) of the trial so far → encoder → a Gaussian factor N(μ_c, σ²_c) over z
///   posterior   q(z | c₁..ₙ) ∝ N(0, I) · Π N(μ_c, σ²_c)      (product of Gaussians: precisions add)
///               1/σ² = 1 + Σ 1/σ²_c,   μ = σ² · Σ μ_c/σ²_c
///   at each episode's first step z = μ + σ·ε with ε ~ N(0, I) (posterior sampling), held for the episode
///   policy      π(a | s, z);   value V(s, z, μ, log σ², trial progress)
///   auxiliary   β · KL( q(z | c) ‖ N(0, I) ) at every step (PEARL's information bottleneck)
///             + c_r · ( D(s, a, μ) − r )² for each transition of an episode, μ the posterior mean its z was drawn around
/// </code>
/// The first episode acts on a draw from the prior, later ones on the posterior of everything seen, which is how PEARL
/// explores and then exploits. The memory is the running sums of the factors (the posterior is a function of them),
/// the episode's z and the previous observation (a transition's s arrives one step before its a and r); it is zero at
/// a trial's start, and the first step's "previous transition" is masked out. ε comes with the input
/// (<see cref="EpisodeNoise"/>): the agent draws it at each episode's start, so PPO's replay reuses the agent's draws
/// and z is reparameterised (the policy and value losses reach the encoder through it).
/// <para>
/// What trains the encoder: in the paper, the critic's Bellman error through Q(s, a, z); the paper names reconstructing
/// rewards as the model-based alternative. Here a reward decoder D(s, a, μ) predicts each transition's reward from the
/// posterior mean the episode's z was drawn around, i.e. from the episodes before it (an episode's own transitions never
/// inform it, so nothing leaks). Without it, PPO alone reaches the encoder only through a policy that has learned to
/// use z, and a policy trained while z is still noise learns to ignore it: on 2D navigation the encoder then never
/// learned (episode 2 scored what episode 1 did). The decoder reads the mean, not the draw: trained alone on
/// random-action trials of 2D navigation (as in PearlModelTests), 1,000 Adam steps cut episode 2's error to a quarter of
/// episode 1's with the mean, and 1,500 only to a half with the draw's noise.
/// </para>
/// <para>
/// Why PPO and not PEARL's SAC: the population is on-policy by construction (agents act with the newest broadcast
/// parameters, the learner trains on their trials), and an on-policy PEARL keeps the paper's inference (encoder,
/// product of Gaussians, posterior sampling per episode, KL bottleneck) while sharing everything else with RL²: the
/// same batcher step, trials, learner and evaluation. What it gives up is SAC's sample efficiency from a replay
/// buffer, which matters less when thousands of agents gather trials in parallel.
/// </para>
/// </summary>
public sealed class PearlModel : InContextModel
{
    /// <summary>The smallest variance of one transition's factor (PEARL clamps at 1e-7; a little more keeps float32 sums tame).</summary>
    private const double MinVariance = 1e-4;

    private readonly int _obs, _actionInputs, _rl2Size, _latent, _progress;

    /// <param name="shape">The RL² input's layout (observation and action sizes are required) and the policy outputs.</param>
    /// <param name="latent">Dimensions of z (PEARL: 5).</param>
    /// <param name="hidden">Units of the policy's and the value's two tanh layers.</param>
    /// <param name="encoderHidden">Units of the encoder's two ReLU layers.</param>
    /// <param name="klWeight">β, the weight of the KL of the posterior to the prior in the loss.</param>
    /// <param name="rewardWeight">c_r, the weight of the reward decoder's squared error in the loss (0: no decoder's gradient).</param>
    public PearlModel(ModelShape shape, int latent, int hidden, int encoderHidden, double klWeight, double rewardWeight = 1)
    {
        if (shape.ObservationSize < 1 || shape.ActionInputs < 1)
            throw new ArgumentException("PEARL reads transitions out of the RL² input: the model shape must give the observation's and the action's sizes");
        int progress = shape.InputSize - (shape.ObservationSize + shape.ActionInputs + 2);
        if (progress is < 0 or > 1)
            throw new ArgumentException($"an RL² input of {shape.InputSize} floats does not fit observation {shape.ObservationSize} + action {shape.ActionInputs} + reward + done (+ progress)");
        if (latent < 1 || hidden < 1 || encoderHidden < 1)
            throw new ArgumentException($"PEARL: latent {latent}, hidden {hidden} and encoder {encoderHidden} must be positive");
        if (!(klWeight >= 0)) throw new ArgumentException($"PEARL: the KL weight {klWeight} must be >= 0");
        if (!(rewardWeight >= 0)) throw new ArgumentException($"PEARL: the reward decoder's weight {rewardWeight} must be >= 0");
        (_obs, _actionInputs, _rl2Size, _latent, _progress) = (shape.ObservationSize, shape.ActionInputs, shape.InputSize, latent, progress);
        Actions = shape.Actions;
        KlWeight = klWeight;
        RewardWeight = rewardWeight;
        Encoder1 = register_module("encoder1", new Linear(_obs + _actionInputs + 1, encoderHidden));
        Encoder2 = register_module("encoder2", new Linear(encoderHidden, encoderHidden));
        EncoderOut = register_module("encoder_out", new Linear(encoderHidden, 2 * latent));
        Policy1 = register_module("policy1", new Linear(_obs + latent, hidden));
        Policy2 = register_module("policy2", new Linear(hidden, hidden));
        Policy = register_module("policy", new Linear(hidden, Actions));
        Value1 = register_module("value1", new Linear(_obs + 3 * latent + progress, hidden));
        Value2 = register_module("value2", new Linear(hidden, hidden));
        Value = register_module("value", new Linear(hidden, 1));
        Decoder1 = register_module("decoder1", new Linear(_obs + _actionInputs + latent, encoderHidden));
        Decoder2 = register_module("decoder2", new Linear(encoderHidden, encoderHidden));
        DecoderOut = register_module("decoder_out", new Linear(encoderHidden, 1));
        InitializeHeads(Policy, Value);
    }

    public override int InputSize => _rl2Size + _latent;
    public override int Actions { get; }
    public override int EpisodeNoise => _latent;

    /// <summary>[previous observation, has a previous step, Σ 1/σ²_c, Σ μ_c/σ²_c, the episode's z].</summary>
    public override int MemorySize => _obs + 1 + 3 * _latent;

    public double KlWeight { get; }
    public double RewardWeight { get; }
    public Linear Encoder1 { get; }
    public Linear Encoder2 { get; }
    public Linear EncoderOut { get; }
    public Linear Policy1 { get; }
    public Linear Policy2 { get; }
    public Linear Policy { get; }
    public Linear Value1 { get; }
    public Linear Value2 { get; }
    public Linear Value { get; }
    public Linear Decoder1 { get; }
    public Linear Decoder2 { get; }
    public Linear DecoderOut { get; }

    public override (Tensor Logits, Tensor Values) Step(Tensor x, Tensor memory)
    {
        int o = _obs, l = _latent;
        var (precision, weighted) = Factor(memory.narrow(1, 0, o), x, memory.narrow(1, o, 1));
        var precisionSum = memory.narrow(1, o + 1, l) + precision;
        var weightedSum = memory.narrow(1, o + 1 + l, l) + weighted;
        var (mean, variance) = Posterior(precisionSum, weightedSum);
        var episodeStart = x.narrow(1, EpisodeStartAt, 1);
        var z = episodeStart * Draw(mean, variance, x) + (1 - episodeStart) * memory.narrow(1, o + 1 + 2 * l, l);
        var (logits, values) = Heads(x, z, mean, variance);
        memory.copy_(cat([x.narrow(1, 0, o), ones_like(episodeStart), precisionSum, weightedSum, z], 1));
        return (logits, values);
    }

    public override (Tensor Logits, Tensor Values) ForwardTrials(Tensor x)
    {
        var (logits, values, _) = ForwardTrialsForLoss(x);
        return (logits, values);
    }

    /// <summary>
    /// What <see cref="Step"/> computes at every step of whole trials, all steps at once: the factors of every
    /// transition, their running sums (cumulative over time), every step's posterior, and each step's z the draw made
    /// at its episode's first step; with β·KL(q ‖ prior) per step, and at each step but an episode's first the reward
    /// decoder's error on the transition the input reports (the step before's s, a and r) under the episode's z.
    /// </summary>
    public override (Tensor Logits, Tensor Values, Tensor? Auxiliary) ForwardTrialsForLoss(Tensor x)
    {
        long steps = x.shape[0], batch = x.shape[1];
        int o = _obs;
        var obs = x.narrow(2, 0, o);
        var previousObs = cat([zeros([1, batch, o], x.dtype, x.device), obs.narrow(0, 0, steps - 1)], 0);
        var hasPrevious = cat([zeros([1, batch, 1], x.dtype, x.device), ones([steps - 1, batch, 1], x.dtype, x.device)], 0);
        var (precision, weighted) = Factor(previousObs, x, hasPrevious);
        var (mean, variance) = Posterior(precision.cumsum(0), weighted.cumsum(0));
        var firstSteps = EpisodeFirstSteps(x);
        var z = Draw(mean, variance, x).gather(0, firstSteps);
        var (logits, values) = Heads(x, z, mean, variance);
        var episodeStart = x.narrow(2, EpisodeStartAt, 1).squeeze(-1);
        var transition = x.narrow(2, _obs, _actionInputs);
        var episodeMean = mean.gather(0, firstSteps);
        var predicted = DecoderOut.forward(Decoder2.forward(Decoder1.forward(cat([previousObs, transition, episodeMean], -1)).relu()).relu()).squeeze(-1);
        var error = predicted - x.narrow(2, _obs + _actionInputs, 1).squeeze(-1);
        return (logits, values, KlWeight * Kl(mean, variance) + RewardWeight * (1 - episodeStart) * error * error);
    }

    private int EpisodeStartAt => _obs + _actionInputs + 1; // the RL² input's "previous done": 1 on every episode's first step

    /// <summary>
    /// One transition's Gaussian factor over z, as (precision 1/σ²_c, precision·μ_c), zero where there is no previous
    /// step: the previous observation, and the action and reward the input carries after the current one.
    /// </summary>
    private (Tensor Precision, Tensor Weighted) Factor(Tensor previousObs, Tensor x, Tensor hasPrevious)
    {
        var transition = cat([previousObs, x.narrow(-1, _obs, _actionInputs + 1)], -1); // (s, a, r)
        var factor = EncoderOut.forward(Encoder2.forward(Encoder1.forward(transition).relu()).relu());
        var precision = hasPrevious / (factor.narrow(-1, _latent, _latent).softplus() + MinVariance);
        return (precision, precision * factor.narrow(-1, 0, _latent));
    }

    /// <summary>The product of the prior N(0, I) (one more factor of precision 1) and the factors summed so far.</summary>
    private static (Tensor Mean, Tensor Variance) Posterior(Tensor precisionSum, Tensor weightedSum)
    {
        var variance = (precisionSum + 1).reciprocal();
        return (variance * weightedSum, variance);
    }

    /// <summary>z = μ + σ·ε with the input's noise ε (reparameterised: gradients reach the encoder through μ and σ).</summary>
    private Tensor Draw(Tensor mean, Tensor variance, Tensor x) => mean + variance.sqrt() * x.narrow(-1, _rl2Size, _latent);

    /// <summary>For every step of x [T, B, In], the index of its episode's first step, as a [T, B, latent] gather index.</summary>
    private Tensor EpisodeFirstSteps(Tensor x)
    {
        long steps = x.shape[0], batch = x.shape[1];
        var starts = x.narrow(2, EpisodeStartAt, 1).ToArray<float>();
        var index = new long[steps * batch * _latent];
        for (long b = 0; b < batch; b++)
        {
            long first = 0;
            for (long t = 0; t < steps; t++)
            {
                if (starts[t * batch + b] > 0.5f) first = t;
                index.AsSpan((int)((t * batch + b) * _latent), _latent).Fill(first);
            }
        }
        return tensor(index, [steps, batch, _latent]).to(x.device);
    }

    /// <summary>π(a | s, z) and V(s, z, μ, log σ², progress).</summary>
    private (Tensor Logits, Tensor Values) Heads(Tensor x, Tensor z, Tensor mean, Tensor variance)
    {
        var obs = x.narrow(-1, 0, _obs);
        var policyIn = cat([obs, z], -1);
        var valueIn = _progress > 0
            ? cat([obs, z, mean, variance.log(), x.narrow(-1, EpisodeStartAt + 1, 1)], -1)
            : cat([obs, z, mean, variance.log()], -1);
        var logits = Policy.forward(Policy2.forward(Policy1.forward(policyIn).tanh()).tanh());
        var values = Value.forward(Value2.forward(Value1.forward(valueIn).tanh()).tanh()).squeeze(-1);
        return (logits, values);
    }

    /// <summary>KL( N(μ, σ²) ‖ N(0, I) ), summed over z's dimensions.</summary>
    private static Tensor Kl(Tensor mean, Tensor variance) => 0.5 * (variance + mean * mean - 1 - variance.log()).sum(-1);
}
