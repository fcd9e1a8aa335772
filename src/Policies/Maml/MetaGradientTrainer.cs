using MetaRL.Environments;
using MetaRL.Torch;
using MetaRL.Torch.Optim;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Maml;

/// <summary>What one meta-update did: the tasks' mean episode return before adaptation and after the inner steps.</summary>
public sealed record MetaUpdateResult(double PreUpdateReturn, double PostUpdateReturn);

/// <summary>
/// MAML and Reptile for policies (the math in one place). For each of a batch of tasks T_i:
/// <code>
///   MAML:    D_i ~ π_θ;  θ'_i = θ − α ∇_θ L(D_i; θ)  (create_graph);  D'_i ~ π_θ'_i
///            θ ← Adam( ∇_θ (1/M) Σ_i L(D'_i; θ'_i) )            (second order: through θ'_i)
///   Reptile: φ_i = θ;  k times { D ~ π_φ_i;  φ_i ← φ_i − α ∇ L(D; φ_i) }
///            θ ← θ + ε · (1/M) Σ_i (φ_i − θ)
/// </code>
/// with L the vanilla policy-gradient surrogate of <see cref="PolicyGradientBatch"/>. Rollouts run here, task by task
/// (MAML's post-update sampling needs each task's own adapted parameters, which a batcher serving one parameter
/// vector to thousands of agents cannot give).
/// </summary>
public sealed class MetaGradientTrainer : IDisposable
{
    private readonly GaussianMlp _policy;
    private readonly MetaGradientOptions _options;
    private readonly MetaAlgorithm _algorithm;
    private readonly Adam? _adam;

    public MetaGradientTrainer(GaussianMlp policy, MetaAlgorithm algorithm, MetaGradientOptions options)
    {
        if (algorithm == MetaAlgorithm.Ppo) throw new ArgumentException("the meta-gradient trainer runs MAML or Reptile; PPO runs in the population");
        _policy = policy;
        _algorithm = algorithm;
        _options = options;
        if (algorithm == MetaAlgorithm.Maml) _adam = new Adam(policy.parameters(), lr: options.OuterLearningRate);
    }

    public GaussianMlp Policy => _policy;

    /// <summary>One meta-update over <paramref name="tasks"/>; each task's envs come from <paramref name="makeEnv"/>.</summary>
    public MetaUpdateResult Update<TTask>(IReadOnlyList<TTask> tasks, Func<TTask, ITaskEnv<float[], float[], TTask>> makeEnv, Random rng) =>
        _algorithm == MetaAlgorithm.Maml ? MamlUpdate(tasks, makeEnv, rng) : ReptileUpdate(tasks, makeEnv, rng);

    private MetaUpdateResult MamlUpdate<TTask>(IReadOnlyList<TTask> tasks, Func<TTask, ITaskEnv<float[], float[], TTask>> makeEnv, Random rng)
    {
        using var scope = NewDisposeScope();
        var theta = _policy.Parameters;
        double pre = 0, post = 0;
        Tensor? metaLoss = null;
        foreach (var task in tasks)
        {
            IReadOnlyList<Tensor> adapted = theta;
            for (int step = 0; step < _options.InnerSteps; step++)
            {
                var batch = PolicyGradientBatch.Collect(() => makeEnv(task), adapted, _options.EpisodesPerTask, _options.Gamma, rng);
                if (step == 0) pre += batch.MeanReturn;
                adapted = InnerStep(batch.Loss(adapted), adapted, _options.FirstOrder ? InnerGraph.FirstOrder : InnerGraph.SecondOrder);
            }
            var after = PolicyGradientBatch.Collect(() => makeEnv(task), adapted, _options.EpisodesPerTask, _options.Gamma, rng);
            post += after.MeanReturn;
            var loss = after.Loss(adapted) / tasks.Count;
            metaLoss = metaLoss is null ? loss : metaLoss + loss;
        }
        _adam!.zero_grad();
        metaLoss!.backward();
        _adam.step();
        return new MetaUpdateResult(pre / tasks.Count, post / tasks.Count);
    }

    private MetaUpdateResult ReptileUpdate<TTask>(IReadOnlyList<TTask> tasks, Func<TTask, ITaskEnv<float[], float[], TTask>> makeEnv, Random rng)
    {
        using var scope = NewDisposeScope();
        var theta = _policy.Parameters;
        var sums = theta.Select(p => zeros_like(p)).ToArray();
        double pre = 0, post = 0;
        foreach (var task in tasks)
        {
            var (curve, adapted) = Adapt(task, makeEnv, _options.InnerSteps, rng);
            pre += curve[0];
            post += curve[^1];
            using (no_grad())
                for (int i = 0; i < sums.Length; i++) sums[i].add_(adapted[i] - theta[i]);
        }
        using (no_grad())
            for (int i = 0; i < theta.Count; i++) theta[i].add_(sums[i], _options.MetaStep / tasks.Count);
        return new MetaUpdateResult(pre / tasks.Count, post / tasks.Count);
    }

    /// <summary>
    /// Adapts to one task with <paramref name="steps"/> first-order inner steps (θ unchanged): the mean episode return
    /// before each step and after the last (steps + 1 figures: MAML's adaptation curve), and the adapted parameters.
    /// </summary>
    public (double[] Returns, IReadOnlyList<Tensor> Adapted) Adapt<TTask>(TTask task, Func<TTask, ITaskEnv<float[], float[], TTask>> makeEnv, int steps, Random rng)
    {
        var returns = new double[steps + 1];
        IReadOnlyList<Tensor> phi = _policy.Parameters;
        for (int step = 0; step <= steps; step++)
        {
            var batch = PolicyGradientBatch.Collect(() => makeEnv(task), phi, _options.EpisodesPerTask, _options.Gamma, rng);
            returns[step] = batch.MeanReturn;
            if (step < steps) phi = InnerStep(batch.Loss(phi), phi, InnerGraph.Detached);
        }
        return (returns, phi);
    }

    /// <summary>How an inner step's θ' = θ − α ∇_θ L hangs on θ.</summary>
    private enum InnerGraph
    {
        /// <summary>Through the gradient too (create_graph): MAML's outer gradient gets its Hessian-vector terms.</summary>
        SecondOrder,

        /// <summary>The gradient as a constant: the outer gradient at θ' is applied to θ (first-order MAML).</summary>
        FirstOrder,

        /// <summary>A fresh leaf: adaptation alone (Reptile, evaluation).</summary>
        Detached,
    }

    private IReadOnlyList<Tensor> InnerStep(Tensor loss, IReadOnlyList<Tensor> parameters, InnerGraph graph)
    {
        var grads = autograd.grad(loss, parameters, create_graph: graph == InnerGraph.SecondOrder);
        var next = new Tensor[parameters.Count];
        for (int i = 0; i < next.Length; i++)
        {
            var step = parameters[i] - _options.InnerLearningRate * (grads[i] ?? zeros_like(parameters[i]));
            next[i] = graph == InnerGraph.Detached ? step.detach().requires_grad_() : step;
        }
        return next;
    }

    public void Dispose() => _adam?.Dispose();
}
