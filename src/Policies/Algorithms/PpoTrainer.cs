using MetaRL.Environments.Tasks;
using MetaRL.Torch;
using MetaRL.Torch.Optim;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Algorithms;

/// <summary>
/// PPO over whole trials for an in-context model (the RL² GRU, the transformer) (docs/architecture.md §3): GAE per trial, then <see cref="PpoOptions.Epochs"/>
/// passes of shuffled minibatches of whole trials, each a backpropagation through the trial from its first step,
/// with gradient-norm clipping and Adam. An update whose loss or gradient norm is not finite is abandoned and
/// the parameters are restored to what they were before it (Adam's moments from earlier minibatches of that
/// update are kept: they hold only finite values).
/// </summary>
public sealed class PpoTrainer : IPolicyTrainer
{
    private readonly InContextModel _model;
    private readonly PpoOptions _options;
    private readonly int _seed;
    private readonly Tensor[] _parameters;
    private readonly Adam _adam;
    private float[]? _beforeDataParallel;
    private readonly PartThreads? _parts;
    private readonly InContextModel[]? _replicas;
    private readonly Tensor[][]? _replicaParameters;

    /// <param name="model">The learner's model; owned.</param>
    /// <param name="threads">Spreads each minibatch step over threads (null or 1 thread: the step runs on the caller).</param>
    public PpoTrainer(InContextModel model, PpoOptions options, int seed, LearnerThreads? threads = null)
    {
        _model = model;
        _options = options;
        _seed = seed;
        _model.train();
        _parameters = model.parameters().ToArray();
        _adam = optim.Adam(_parameters, options.LearningRate);
        if (threads is { Threads: > 1 })
        {
            _parts = new PartThreads(threads.Threads, threads.TorchThreads);
            _replicas = Enumerable.Range(1, threads.Threads - 1).Select(_ => threads.NewModel()).ToArray();
            foreach (var r in _replicas) r.train();
            _replicaParameters = _replicas.Select(r => r.parameters().ToArray()).ToArray();
        }
    }

    public InContextModel Model => _model;

    public float[] GetParameters() => ParameterVector.Get(_model);

    public UpdateResult Update(IReadOnlyList<Trajectory> trials, long update, double progress)
    {
        var rng = new Random(TaskSeeds.Mix(_seed, (int)update, (int)(update >> 31)));
        _adam.param_groups[0].lr = LearningRate(progress);
        var options = _options with { EntropyCoef = _options.EntropyCoefAt(progress) };
        var before = ParameterVector.Get(_model);
        using var batch = PpoBatch.Build(trials, (float)_options.Gamma, (float)_options.Lambda, (float)_options.RewardScale,
            _options.RewardSignal == RewardSignal.Mean);
        int b = batch.Trials, minibatches = Math.Min(_options.Minibatches, b);
        var order = Enumerable.Range(0, b).ToArray();
        double pg = 0, vl = 0, ent = 0, kl = 0;
        int n = 0;
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            rng.Shuffle(order);
            for (int m = 0; m < minibatches; m++)
            {
                int start = m * b / minibatches, end = (m + 1) * b / minibatches;
                using var scope = NewDisposeScope();
                var chosen = order[start..end].Select(i => (long)i).ToArray();
                var step = _parts is null ? Gradient(batch, chosen, options) : GradientInParts(batch, chosen, options);
                if (!double.IsFinite(step.Loss)) return Abandon(before, $"loss is not finite ({step.Loss}) at epoch {epoch}, minibatch {m}");
                double norm = nn.utils.clip_grad_norm_(_parameters, _options.MaxGradNorm);
                if (!double.IsFinite(norm)) return Abandon(before, $"gradient norm is not finite ({norm}) at epoch {epoch}, minibatch {m}");
                _adam.step();
                pg += step.PolicyLoss;
                vl += step.ValueLoss;
                ent += step.Entropy;
                kl += step.ApproxKl;
                n++;
            }
        }
        return new UpdateResult(pg / n, vl / n, ent / n, kl / n, false, null);
    }

    /// <summary>The loss of one minibatch, and its gradient in the model's parameters (none when the loss is not finite).</summary>
    private StepTerms Gradient(PpoBatch batch, long[] chosen, PpoOptions options)
    {
        var terms = batch.Loss(_model, chosen, options);
        var step = StepTerms.Of(terms);
        _adam.zero_grad();
        if (double.IsFinite(step.Loss)) terms.Loss.backward();
        return step;
    }

    /// <summary>
    /// <see cref="Gradient"/> computed in parts at once (DD-PPO's arithmetic within one process, as
    /// <see cref="PpoShard"/> across nodes): the minibatch's trials are cut into contiguous slices, part 0 runs on
    /// the model itself and each other part on a replica loaded with the same parameters, each part's loss is its
    /// share of the whole minibatch's (normed by the whole's advantage statistics), and the parts' gradients are
    /// summed into the model's. The result is the whole minibatch's gradient up to summation order.
    /// </summary>
    private StepTerms GradientInParts(PpoBatch batch, long[] chosen, PpoOptions options)
    {
        var whole = batch.Sums(chosen).Norm();
        int parts = _parts!.Count;
        var models = new InContextModel[parts];
        var parameters = new Tensor[parts][];
        (models[0], parameters[0]) = (_model, _parameters);
        using (no_grad())
            for (int p = 1; p < parts; p++)
            {
                (models[p], parameters[p]) = (_replicas![p - 1], _replicaParameters![p - 1]);
                for (int i = 0; i < _parameters.Length; i++) parameters[p][i].copy_(_parameters[i]);
            }
        var steps = new StepTerms[parts];
        _parts.Run(p =>
        {
            using var scope = NewDisposeScope();
            var slice = chosen[(p * chosen.Length / parts)..((p + 1) * chosen.Length / parts)];
            foreach (var parameter in parameters[p]) parameter.grad = null;
            if (slice.Length == 0) return;
            var terms = batch.Loss(models[p], slice, options, whole);
            steps[p] = StepTerms.Of(terms);
            if (double.IsFinite(steps[p].Loss)) terms.Loss.backward();
        });
        var total = steps.Aggregate((a, c) => a.Plus(c));
        if (!double.IsFinite(total.Loss)) return total;
        using (no_grad())
            for (int i = 0; i < _parameters.Length; i++)
            {
                Tensor? sum = null;
                foreach (var own in parameters)
                    if (own[i].grad is { } g) sum = sum is null ? g.clone() : sum.add_(g);
                _parameters[i].grad = sum;
            }
        return total;
    }

    /// <summary>One minibatch step's loss and its terms, as numbers.</summary>
    private readonly record struct StepTerms(double Loss, double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl)
    {
        public static StepTerms Of(PpoLossTerms t) =>
            new(t.Loss.item<float>(), t.PolicyLoss.item<float>(), t.ValueLoss.item<float>(), t.Entropy.item<float>(), t.ApproxKl.item<float>());

        public StepTerms Plus(StepTerms o) => new(Loss + o.Loss, PolicyLoss + o.PolicyLoss, ValueLoss + o.ValueLoss, Entropy + o.Entropy, ApproxKl + o.ApproxKl);
    }

    /// <summary>
    /// Starts a data-parallel update (see <see cref="PpoShard"/>): sets the learning rate for
    /// <paramref name="progress"/>, remembers the parameters to restore if the update is abandoned, and returns the
    /// options the parts compute their losses with (the entropy coefficient of this point of the run).
    /// </summary>
    public PpoOptions BeginDataParallelUpdate(double progress)
    {
        _adam.param_groups[0].lr = LearningRate(progress);
        _beforeDataParallel = ParameterVector.Get(_model);
        return _options with { EntropyCoef = _options.EntropyCoefAt(progress) };
    }

    /// <summary>
    /// One minibatch step of a data-parallel update: <paramref name="gradient"/> is the sum of the parts' gradients
    /// (flat, in <see cref="ParameterVector"/> order); it is clipped to <see cref="PpoOptions.MaxGradNorm"/> and Adam
    /// steps. Null, or, when the gradient is not finite, the reason (nothing applied; the caller abandons the update).
    /// </summary>
    public string? ApplyGradient(ReadOnlySpan<float> gradient)
    {
        int expected = ParameterVector.Count(_model);
        if (gradient.Length != expected) throw new ArgumentException($"a gradient of {gradient.Length} floats for a model of {expected}");
        using var scope = NewDisposeScope();
        int offset = 0;
        foreach (var p in _parameters)
        {
            int n = (int)p.numel();
            p.grad = tensor(gradient.Slice(offset, n), p.shape);
            offset += n;
        }
        double norm = nn.utils.clip_grad_norm_(_parameters, _options.MaxGradNorm);
        if (!double.IsFinite(norm)) return $"gradient norm is not finite ({norm})";
        _adam.step();
        return null;
    }

    /// <summary>Abandons a data-parallel update: the parameters go back to what they were when it began.</summary>
    public UpdateResult AbandonDataParallelUpdate(string reason) =>
        Abandon(_beforeDataParallel ?? throw new InvalidOperationException("no data-parallel update is in progress"), reason);

    /// <summary>The learning rate at <paramref name="progress"/> ∈ [0, 1] of the run.</summary>
    public double LearningRate(double progress) => _options.LearningRateSchedule switch
    {
        LearningRateSchedule.Linear => _options.LearningRate * (1 - progress),
        LearningRateSchedule.Cosine => _options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * progress)),
        _ => _options.LearningRate,
    };

    /// <summary>
    /// A PyTorch checkpoint of the model's and Adam's state dicts (<c>{"model": …, "optimizer": …}</c>), so the
    /// state reads in Python too. Adam's step counts are written as float64, and every tensor bit for bit.
    /// </summary>
    public void SaveState(Stream destination)
    {
        using var model = _model.state_dict();
        var optimizer = _adam.state_dict();
        try
        {
            torch.save(new OrderedDictionary<object, object?> { ["model"] = model, ["optimizer"] = optimizer }, destination);
        }
        finally
        {
            dispose_tensors(optimizer);
        }
    }

    public void LoadState(Stream source)
    {
        var tree = torch.load(source);
        try
        {
            if (tree is not IReadOnlyDictionary<object, object?> root || !root.TryGetValue("model", out var model) || !root.TryGetValue("optimizer", out var optimizer)
                || optimizer is not IReadOnlyDictionary<object, object?> adam)
                throw new InvalidDataException("a trainer state is a dict with 'model' and 'optimizer'");
            using (var state = Torch.Modules.StateDict.From(model)) _model.load_state_dict(state);
            _adam.load_state_dict(adam);
        }
        finally
        {
            dispose_tensors(tree);
        }
    }

    private UpdateResult Abandon(float[] before, string reason)
    {
        _adam.zero_grad();
        ParameterVector.Load(_model, before);
        return UpdateResult.Skip(reason);
    }

    public void Dispose()
    {
        _parts?.Dispose();
        foreach (var r in _replicas ?? []) r.Dispose();
        _adam.Dispose();
        _model.Dispose();
    }
}
