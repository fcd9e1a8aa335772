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
/// </code>
/// The first episode acts on a draw from the prior, later ones on the posterior of everything seen, which is how PEARL
/// explores and then exploits. The memory is the running sums of the factors (the posterior is a function of them),
/// the episode's z and the previous observation (a transition's s arrives one step before its a and r); it is zero at
/// a trial's start, and the first step's "previous transition" is masked out. ε comes with the input
/// (<see cref="EpisodeNoise"/>): the agent draws it at each episode's start, so PPO's replay reuses the agent's draws
/// and z is reparameterised (the policy and value losses reach the encoder through it).
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
    public PearlModel(ModelShape shape, int latent, int hidden, int encoderHidden, double klWeight)
    {
        if (shape.ObservationSize < 1 || shape.ActionInputs < 1)
            throw new ArgumentException("PEARL reads transitions out of the RL² input: the model shape must give the observation's and the action's sizes");
        int progress = shape.InputSize - (shape.ObservationSize + shape.ActionInputs + 2);
        if (progress is < 0 or > 1)
            throw new ArgumentException($"an RL² input of {shape.InputSize} floats does not fit observation {shape.ObservationSize} + action {shape.ActionInputs} + reward + done (+ progress)");
        if (latent < 1 || hidden < 1 || encoderHidden < 1)
            throw new ArgumentException($"PEARL: latent {latent}, hidden {hidden} and encoder {encoderHidden} must be positive");
        if (!(klWeight >= 0)) throw new ArgumentException($"PEARL: the KL weight {klWeight} must be >= 0");
        (_obs, _actionInputs, _rl2Size, _latent, _progress) = (shape.ObservationSize, shape.ActionInputs, shape.InputSize, latent, progress);
        Actions = shape.Actions;
        KlWeight = klWeight;
        Encoder1 = register_module("encoder1", new Linear(_obs + _actionInputs + 1, encoderHidden));
        Encoder2 = register_module("encoder2", new Linear(encoderHidden, encoderHidden));
        EncoderOut = register_module("encoder_out", new Linear(encoderHidden, 2 * latent));
        Policy1 = register_module("policy1", new Linear(_obs + latent, hidden));
        Policy2 = register_module("policy2", new Linear(hidden, hidden));
        Policy = register_module("policy", new Linear(hidden, Actions));
        Value1 = register_module("value1", new Linear(_obs + 3 * latent + progress, hidden));
        Value2 = register_module("value2", new Linear(hidden, hidden));
        Value = register_module("value", new Linear(hidden, 1));
        InitializeHeads(Policy, Value);
    }

    public override int InputSize => _rl2Size + _latent;
    public override int Actions { get; }
    public override int EpisodeNoise => _latent;

    /// <summary>[previous observation, has a previous step, Σ 1/σ²_c, Σ μ_c/σ²_c, the episode's z].</summary>
    public override int MemorySize => _obs + 1 + 3 * _latent;

    public double KlWeight { get; }
    public Linear Encoder1 { get; }
    public Linear Encoder2 { get; }
    public Linear EncoderOut { get; }
    public Linear Policy1 { get; }
    public Linear Policy2 { get; }
    public Linear Policy { get; }
    public Linear Value1 { get; }
    public Linear Value2 { get; }
    public Linear Value { get; }

    public override (Tensor Logits, Tensor Values) Step(Tensor x, Tensor memory)
    {
        var (logits, values, next, _) = Advance(x, memory);
        memory.copy_(next);
        return (logits, values);
    }

    public override (Tensor Logits, Tensor Values) ForwardTrials(Tensor x)
    {
        var (logits, values, _) = ForwardTrialsForLoss(x);
        return (logits, values);
    }

    /// <summary>A loop of <see cref="Advance"/> from a zero memory: the batcher's steps exactly, with β·KL per step.</summary>
    public override (Tensor Logits, Tensor Values, Tensor? Auxiliary) ForwardTrialsForLoss(Tensor x)
    {
        long steps = x.shape[0];
        var memory = zeros([x.shape[1], MemorySize], x.dtype, x.device);
        var logits = new Tensor[steps];
        var values = new Tensor[steps];
        var kl = new Tensor[steps];
        for (long t = 0; t < steps; t++)
            (logits[t], values[t], memory, kl[t]) = Advance(x[t], memory);
        return (stack(logits, 0), stack(values, 0), KlWeight * stack(kl, 0));
    }

    /// <summary>One step: x [B, In], memory [B, M] → policy output, values, the next memory, KL(q ‖ prior) [B].</summary>
    private (Tensor Logits, Tensor Values, Tensor Memory, Tensor Kl) Advance(Tensor x, Tensor memory)
    {
        int o = _obs, a = _actionInputs, l = _latent;
        var obs = x.narrow(1, 0, o);
        var transition = cat([memory.narrow(1, 0, o), x.narrow(1, o, a + 1)], 1); // (s, a, r): s from the step before
        var hasPrevious = memory.narrow(1, o, 1);
        var factor = EncoderOut.forward(Encoder2.forward(Encoder1.forward(transition).relu()).relu());
        var precision = hasPrevious / (factor.narrow(1, l, l).softplus() + MinVariance);
        var precisionSum = memory.narrow(1, o + 1, l) + precision;
        var weightedSum = memory.narrow(1, o + 1 + l, l) + precision * factor.narrow(1, 0, l);
        var variance = (precisionSum + 1).reciprocal(); // the prior N(0, I) is one more factor of precision 1
        var mean = variance * weightedSum;

        var episodeStart = x.narrow(1, o + a + 1, 1); // "previous done": 1 on every episode's first step
        var noise = x.narrow(1, _rl2Size, l);
        var z = episodeStart * (mean + variance.sqrt() * noise) + (1 - episodeStart) * memory.narrow(1, o + 1 + 2 * l, l);

        var logVariance = variance.log();
        var policyIn = cat([obs, z], 1);
        var valueIn = _progress > 0 ? cat([obs, z, mean, logVariance, x.narrow(1, o + a + 2, 1)], 1) : cat([obs, z, mean, logVariance], 1);
        var logits = Policy.forward(Policy2.forward(Policy1.forward(policyIn).tanh()).tanh());
        var values = Value.forward(Value2.forward(Value1.forward(valueIn).tanh()).tanh()).squeeze(-1);
        var next = cat([obs, ones_like(hasPrevious), precisionSum, weightedSum, z], 1);
        var kl = 0.5 * (variance + mean * mean - 1 - logVariance).sum(1);
        return (logits, values, next, kl);
    }
}
