using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Algorithms;

/// <summary>
/// The advantage sums of one part of a minibatch. A learner adds the parts' sums (in a fixed order) and turns
/// the total into the whole minibatch's <see cref="MinibatchNorm"/>.
/// </summary>
public readonly record struct AdvantageSums(double Steps, double Sum, double SumOfSquares)
{
    public AdvantageSums Plus(AdvantageSums other) => new(Steps + other.Steps, Sum + other.Sum, SumOfSquares + other.SumOfSquares);

    /// <summary>The whole minibatch's step count, mean and (population) standard deviation, in double precision.</summary>
    public MinibatchNorm Norm()
    {
        double mean = Steps == 0 ? 0 : Sum / Steps;
        double variance = Steps == 0 ? 0 : Math.Max(0, SumOfSquares / Steps - mean * mean);
        return new MinibatchNorm(Steps, mean, Math.Sqrt(variance));
    }
}

/// <summary>One part's gradient of one minibatch step (flat, in <see cref="ParameterVector"/> order) and its shares of the loss terms.</summary>
public sealed record ShardGradient(float[] Gradient, double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl);

/// <summary>
/// One worker's part of a data-parallel PPO update (DD-PPO, Wijmans et al. 2020): the trials its own node
/// gathered, cut into the same number of minibatches per epoch as a single learner would cut the whole batch.
/// For each minibatch step the learner sends the parameters in force and the whole minibatch's
/// <see cref="MinibatchNorm"/> (from every part's <see cref="Sums"/>); the part returns the gradient of its share
/// of the loss (<see cref="PpoLoss"/> with that norm), so the parts' gradients add up exactly to the gradient of
/// the union of their minibatches. The learner sums them, clips and steps Adam (<see cref="PpoTrainer.ApplyGradient"/>).
/// </summary>
public sealed class PpoShard : IDisposable
{
    private readonly InContextModel _model;
    private readonly Tensor[] _parameters;
    private readonly PpoBatch? _batch;
    private readonly long[][] _minibatches;
    private readonly AdvantageSums[] _sums;

    /// <param name="model">The worker's own copy of the model; it is loaded with the parameters of each step. Not owned.</param>
    /// <param name="trials">This part's trials, in a deterministic order.</param>
    /// <param name="seed">Seeds the per-epoch shuffles (the learner derives it from the update and this part's rank).</param>
    public PpoShard(InContextModel model, IReadOnlyList<Trajectory> trials, PpoOptions options, int seed)
    {
        _model = model;
        _parameters = model.parameters().ToArray();
        int b = trials.Count, m = options.Minibatches;
        _minibatches = new long[options.Epochs * m][];
        _sums = new AdvantageSums[_minibatches.Length];
        if (b == 0)
        {
            for (int s = 0; s < _minibatches.Length; s++) _minibatches[s] = [];
            return;
        }
        _batch = PpoBatch.Build(trials, (float)options.Gamma, (float)options.Lambda, (float)options.RewardScale,
            options.RewardSignal == RewardSignal.Mean);
        var rng = new Random(seed);
        var order = Enumerable.Range(0, b).ToArray();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            rng.Shuffle(order);
            for (int k = 0; k < m; k++)
            {
                int start = k * b / m, end = (k + 1) * b / m;
                var chosen = order[start..end].Select(i => (long)i).ToArray();
                _minibatches[epoch * m + k] = chosen;
                using var scope = NewDisposeScope();
                _sums[epoch * m + k] = _batch.Sums(chosen);
            }
        }
    }

    /// <summary>Minibatch steps of the update: epochs × minibatches.</summary>
    public int StepCount => _minibatches.Length;

    /// <summary>This part's advantage sums for each minibatch step.</summary>
    public IReadOnlyList<AdvantageSums> Sums => _sums;

    /// <summary>
    /// The gradient of this part's share of minibatch step <paramref name="step"/> at <paramref name="parameters"/>.
    /// A part with no trial in that minibatch returns zeros.
    /// </summary>
    public ShardGradient Gradient(int step, ReadOnlySpan<float> parameters, MinibatchNorm whole, PpoOptions options)
    {
        var flat = new float[ParameterVector.Count(_model)];
        var chosen = _minibatches[step];
        if (_batch is null || chosen.Length == 0 || whole.Steps == 0) return new ShardGradient(flat, 0, 0, 0, 0);
        ParameterVector.Load(_model, parameters);
        using var scope = NewDisposeScope();
        foreach (var p in _parameters) p.grad = null;
        var terms = _batch.Loss(_model, chosen, options, whole);
        terms.Loss.backward();
        int offset = 0;
        foreach (var p in _parameters)
        {
            int n = (int)p.numel();
            if (p.grad is { } g) g.CopyTo(flat.AsSpan(offset, n)); // a parameter off the loss's path keeps zeros
            offset += n;
        }
        return new ShardGradient(flat, terms.PolicyLoss.item<float>(), terms.ValueLoss.item<float>(), terms.Entropy.item<float>(),
            terms.ApproxKl.item<float>());
    }

    public void Dispose() => _batch?.Dispose();
}
