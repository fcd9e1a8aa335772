using MetaRL.Policies.Algorithms;
using MetaRL.Policies.Rl2;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Tests;

public sealed class DataParallelPpoTests
{
    private const int InSize = 5;

    // Two-armed bandit trials of different lengths (so padding and masks differ between parts), with values and
    // rewards that give every trial its own advantages.
    private static Trajectory[] Trials(int count, int seed)
    {
        var rng = new Random(seed);
        var trials = new Trajectory[count];
        for (int j = 0; j < count; j++)
        {
            int steps = 3 + rng.Next(6);
            var x = new float[steps * InSize];
            var actions = new int[steps];
            var logps = new float[steps];
            var values = new float[steps];
            var rewards = new float[steps];
            for (int t = 0; t < steps; t++)
            {
                x[t * InSize] = 1;
                x[t * InSize + 1 + (t == 0 ? 0 : actions[t - 1])] = 1;
                x[t * InSize + 3] = t == 0 ? 0 : rewards[t - 1];
                x[t * InSize + 4] = 1;
                actions[t] = rng.Next(2);
                logps[t] = MathF.Log(0.3f + 0.4f * (float)rng.NextDouble());
                values[t] = (float)rng.NextDouble() - 0.5f;
                rewards[t] = rng.NextDouble() < (actions[t] == 1 ? 0.8 : 0.2) ? 1 : 0;
            }
            trials[j] = new Trajectory(j, 0, steps, InSize, x, actions, logps, values, rewards, Enumerable.Repeat(true, steps).ToArray(), 0, 0);
        }
        return trials;
    }

    /// <summary>A model's initial parameters, and a maker of models that start from them.</summary>
    private static (float[] Start, Func<Rl2Model> Fresh) Copies()
    {
        float[] start;
        using (var m = new Rl2Model(InSize, 2, 8)) start = ParameterVector.Get(m);
        return (start, () =>
        {
            var m = new Rl2Model(InSize, 2, 8);
            ParameterVector.Load(m, start);
            return m;
        });
    }

    private static readonly PpoOptions OneStep = new() { Epochs = 1, Minibatches = 1, EntropyCoef = 0.05 };

    private static float[] Sum(params ShardGradient[] parts)
    {
        var sum = new float[parts[0].Gradient.Length];
        foreach (var p in parts)
            for (int i = 0; i < sum.Length; i++) sum[i] += p.Gradient[i];
        return sum;
    }

    [Fact]
    public void The_same_trials_split_over_two_workers_give_the_gradient_of_one_worker()
    {
        manual_seed(3);
        using var model = new Rl2Model(InSize, 2, 8);
        var parameters = ParameterVector.Get(model);
        var trials = Trials(12, seed: 5);

        using var whole = new PpoShard(model, trials, OneStep, seed: 1);
        using var first = new PpoShard(model, trials[..5], OneStep, seed: 1);
        using var second = new PpoShard(model, trials[5..], OneStep, seed: 2);
        var one = whole.Gradient(0, parameters, whole.Sums[0].Norm(), OneStep);
        var norm = first.Sums[0].Plus(second.Sums[0]).Norm();
        Assert.Equal(whole.Sums[0].Steps, norm.Steps);
        var a = first.Gradient(0, parameters, norm, OneStep);
        var b = second.Gradient(0, parameters, norm, OneStep);
        var two = Sum(a, b);

        Assert.Contains(one.Gradient, g => Math.Abs(g) > 1e-4); // a real gradient, not zeros on both sides
        for (int i = 0; i < one.Gradient.Length; i++) Assert.True(Math.Abs(one.Gradient[i] - two[i]) < 1e-5, $"gradient {i}: {one.Gradient[i]} vs {two[i]}");
        Assert.Equal(one.PolicyLoss, a.PolicyLoss + b.PolicyLoss, 5);
        Assert.Equal(one.ValueLoss, a.ValueLoss + b.ValueLoss, 5);
        Assert.Equal(one.Entropy, a.Entropy + b.Entropy, 5);
    }

    [Fact]
    public void One_worker_computes_the_gradient_of_the_single_learner_loss()
    {
        manual_seed(4);
        using var model = new Rl2Model(InSize, 2, 8);
        var parameters = ParameterVector.Get(model);
        var trials = Trials(7, seed: 6);
        using var shard = new PpoShard(model, trials, OneStep, seed: 1);
        var part = shard.Gradient(0, parameters, shard.Sums[0].Norm(), OneStep);

        // The single learner's loss over the same batch, its own masked statistics in float32.
        using var batch = PpoBatch.Build(trials, (float)OneStep.Gamma, (float)OneStep.Lambda, (float)OneStep.RewardScale);
        foreach (var p in model.parameters()) p.grad = null;
        using (NewDisposeScope())
        {
            var (logits, values) = model.ForwardTrials(batch.Inputs);
            PpoLoss.Compute(model.PolicyHead, logits, values, batch.Actions, batch.OldLogProbs, batch.Advantages, batch.Returns, batch.Mask, OneStep).Loss.backward();
        }
        var expected = new float[parameters.Length];
        int offset = 0;
        foreach (var p in model.parameters())
        {
            int n = (int)p.numel();
            using var g = p.grad!;
            g.CopyTo(expected.AsSpan(offset, n));
            offset += n;
        }
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - part.Gradient[i]) < 1e-5, $"gradient {i}: {expected[i]} vs {part.Gradient[i]}");
    }

    [Fact]
    public void A_data_parallel_update_over_two_workers_steps_adam_as_the_single_learner_does()
    {
        manual_seed(5);
        var (start, fresh) = Copies();
        var trials = Trials(10, seed: 7);
        using var single = new PpoTrainer(fresh(), OneStep, seed: 1);
        single.Update(trials, update: 0, progress: 0);

        using var learner = new PpoTrainer(fresh(), OneStep, seed: 1);
        using var worker = fresh();
        var options = learner.BeginDataParallelUpdate(progress: 0);
        using var a = new PpoShard(worker, trials[..4], options, seed: 1);
        using var b = new PpoShard(worker, trials[4..], options, seed: 2);
        var norm = a.Sums[0].Plus(b.Sums[0]).Norm();
        var current = learner.GetParameters();
        Assert.Null(learner.ApplyGradient(Sum(a.Gradient(0, current, norm, options), b.Gradient(0, current, norm, options))));

        var expected = single.GetParameters();
        var actual = learner.GetParameters();
        Assert.NotEqual(start, actual);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"parameter {i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void A_gradient_that_is_not_finite_is_refused_and_the_update_abandoned()
    {
        using var learner = new PpoTrainer(new Rl2Model(InSize, 2, 8), OneStep, seed: 1);
        var before = learner.GetParameters();
        learner.BeginDataParallelUpdate(0);
        var ok = new float[before.Length];
        ok[0] = 1;
        Assert.Null(learner.ApplyGradient(ok));
        Assert.NotEqual(before, learner.GetParameters());
        var bad = new float[before.Length];
        bad[3] = float.NaN;
        Assert.Contains("not finite", learner.ApplyGradient(bad));
        var result = learner.AbandonDataParallelUpdate("a worker sent NaN");
        Assert.True(result.Skipped);
        Assert.Equal(before, learner.GetParameters());
    }

    [Fact]
    public void A_worker_with_fewer_trials_than_minibatches_contributes_zeros_to_the_empty_ones()
    {
        using var model = new Rl2Model(InSize, 2, 8);
        var options = new PpoOptions { Epochs = 2, Minibatches = 4 };
        using var shard = new PpoShard(model, Trials(2, seed: 8), options, seed: 1);
        Assert.Equal(8, shard.StepCount);
        Assert.Equal(2 * 4, shard.Sums.Count);
        int empty = shard.Sums.Count(s => s.Steps == 0);
        Assert.Equal(4, empty); // two trials fill two of the four minibatches of each epoch
        int step = Enumerable.Range(0, 8).First(s => shard.Sums[s].Steps == 0);
        var g = shard.Gradient(step, ParameterVector.Get(model), new MinibatchNorm(10, 0, 1), options);
        Assert.All(g.Gradient, x => Assert.Equal(0f, x));
    }
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void An_update_on_learner_threads_reaches_the_parameters_of_the_single_threaded_update(int threads)
    {
        manual_seed(6);
        var (start, fresh) = Copies();
        var options = new PpoOptions { Epochs = 2, Minibatches = 2, EntropyCoef = 0.05 };
        var trials = Trials(11, seed: 9); // minibatches of 5 and 6 trials: parts of unequal sizes
        using var single = new PpoTrainer(fresh(), options, seed: 1);
        using var parted = new PpoTrainer(fresh(), options, seed: 1, new LearnerThreads(threads, fresh));
        for (int u = 0; u < 3; u++)
        {
            var one = single.Update(trials, u, progress: 0);
            var many = parted.Update(trials, u, progress: 0);
            Assert.False(many.Skipped);
            Assert.Equal(one.PolicyLoss, many.PolicyLoss, 4);
            Assert.Equal(one.ValueLoss, many.ValueLoss, 4);
            Assert.Equal(one.Entropy, many.Entropy, 4);
        }

        var expected = single.GetParameters();
        var actual = parted.GetParameters();
        Assert.NotEqual(start, actual);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"parameter {i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void A_part_whose_loss_is_not_finite_abandons_the_update_on_learner_threads()
    {
        manual_seed(7);
        using var model = new Rl2Model(InSize, 2, 8);
        var start = ParameterVector.Get(model);
        using var trainer = new PpoTrainer(model, OneStep, seed: 1, new LearnerThreads(2, () => new Rl2Model(InSize, 2, 8)));
        var trials = Trials(6, seed: 10);
        var bad = trials[^1];
        bad.Rewards[0] = float.NaN; // the second part's trials carry a NaN return
        var result = trainer.Update(trials, 0, progress: 0);
        Assert.True(result.Skipped);
        Assert.Contains("not finite", result.SkipReason);
        Assert.Equal(start, trainer.GetParameters());
    }
}
