using MetaRL.Policies.Algorithms;
using MetaRL.Policies.Rl2;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Tests;

public sealed class PpoTrainerTests
{
    // A two-armed bandit trial whose recorded behaviour is uniform; arm 1 always pays.
    private static Trajectory BanditTrial(int agent, int steps, Random rng, float nanAt = -1)
    {
        int inSize = 1 + 2 + 2;
        var x = new float[steps * inSize];
        var actions = new int[steps];
        var rewards = new float[steps];
        int prev = 0;
        float prevR = 0, prevDone = 1;
        for (int t = 0; t < steps; t++)
        {
            x[t * inSize] = 1; // Discrete(1) observation, one-hot
            x[t * inSize + 1 + prev] = 1;
            x[t * inSize + 3] = prevR;
            x[t * inSize + 4] = prevDone;
            actions[t] = rng.Next(2);
            rewards[t] = t == nanAt ? float.NaN : actions[t];
            prev = actions[t];
            prevR = rewards[t];
            prevDone = 1;
        }
        return new Trajectory(agent, 0, steps, inSize, x, actions, Enumerable.Repeat(MathF.Log(0.5f), steps).ToArray(),
            new float[steps], rewards, Enumerable.Repeat(true, steps).ToArray(), 0, 0);
    }

    // One on-policy batch: the policy plays `agents` two-armed bandit trials of `steps` pulls where arm 1 always
    // pays, sampling its actions and recording their log-probabilities, as the population does.
    private static Trajectory[] PlayBandit(InContextPolicy policy, int agents, int steps, Random rng)
    {
        const int inSize = 5;
        var inputs = new float[agents * inSize];
        var memory = new float[agents * policy.MemorySize];
        var probs = new float[agents * 2];
        var values = new float[agents];
        var x = new float[agents][];
        var actions = new int[agents][];
        var logps = new float[agents][];
        var vals = new float[agents][];
        var rewards = new float[agents][];
        for (int i = 0; i < agents; i++)
        {
            (x[i], actions[i], logps[i], vals[i], rewards[i]) = (new float[steps * inSize], new int[steps], new float[steps], new float[steps], new float[steps]);
            inputs[i * inSize] = 1;
            inputs[i * inSize + 1] = 1;
            inputs[i * inSize + 4] = 1;
        }
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < agents; i++) Array.Copy(inputs, i * inSize, x[i], t * inSize, inSize);
            policy.Step(agents, inputs, memory, probs, values);
            for (int i = 0; i < agents; i++)
            {
                int a = rng.NextDouble() < probs[i * 2] ? 0 : 1;
                (actions[i][t], logps[i][t], vals[i][t], rewards[i][t]) = (a, MathF.Log(probs[i * 2 + a]), values[i], a);
                inputs.AsSpan(i * inSize, inSize).Clear();
                inputs[i * inSize] = 1;
                inputs[i * inSize + 1 + a] = 1;
                inputs[i * inSize + 3] = a;
                inputs[i * inSize + 4] = 1;
            }
        }
        return Enumerable.Range(0, agents).Select(i => new Trajectory(i, 0, steps, inSize, x[i], actions[i], logps[i], vals[i], rewards[i],
            Enumerable.Repeat(true, steps).ToArray(), 0, 0)).ToArray();
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("transformer")]
    public void On_policy_updates_move_the_policy_toward_the_paying_arm(string type)
    {
        manual_seed(1);
        var shape = new ModelOptions { Type = type, Hidden = 16, Width = 16, Heads = 2 };
        using var trainer = new PpoTrainer(shape.Create(5, 2, trialSteps: 10), new PpoOptions { LearningRate = 3e-3, Epochs = 4, Minibatches = 2 }, seed: 1);
        using var policy = new InContextPolicy(shape.Create(5, 2, trialSteps: 10));
        var rng = new Random(2);
        const int updates = 40;
        var means = new List<double>();
        for (int u = 0; u < updates; u++)
        {
            policy.LoadParameters(trainer.GetParameters());
            var trials = PlayBandit(policy, 16, 10, rng);
            means.Add(trials.Average(t => t.Score));
            Assert.False(trainer.Update(trials, u, u / (double)updates).Skipped);
        }
        double first = means[0], last = means.TakeLast(5).Average();
        Assert.True(first < 7 && last > 9, $"mean reward per 10 pulls: first batch {first}, last five {last}; all: {string.Join(", ", means)}");
    }

    [Fact]
    public void A_nan_loss_is_skipped_reported_and_leaves_the_parameters_unchanged()
    {
        manual_seed(3);
        using var trainer = new PpoTrainer(new Rl2Model(5, 2, 8), new PpoOptions(), seed: 1);
        var before = trainer.GetParameters();
        var result = trainer.Update([BanditTrial(0, 6, new Random(1), nanAt: 3)], 0, 0);
        Assert.True(result.Skipped);
        Assert.Contains("loss is not finite (NaN)", result.SkipReason); // the reason names what was wrong
        Assert.Equal(before, trainer.GetParameters());
    }

    [Fact]
    public void Learning_rate_schedules_decay_as_documented()
    {
        using var linear = new PpoTrainer(new Rl2Model(5, 2, 4), new PpoOptions { LearningRate = 1e-3, LearningRateSchedule = LearningRateSchedule.Linear }, 0);
        using var cosine = new PpoTrainer(new Rl2Model(5, 2, 4), new PpoOptions { LearningRate = 1e-3, LearningRateSchedule = LearningRateSchedule.Cosine }, 0);
        Assert.Equal(1e-3, linear.LearningRate(0), 12);
        Assert.Equal(0.5e-3, linear.LearningRate(0.5), 12);
        Assert.Equal(0.5e-3, cosine.LearningRate(0.5), 12);
        Assert.Equal(0, cosine.LearningRate(1), 12);
    }

    [Fact]
    public void The_entropy_bonus_moves_linearly_to_its_end_value_when_one_is_set()
    {
        var annealed = new PpoOptions { EntropyCoef = 0.05, EntropyCoefEnd = 0.01 };
        Assert.Equal(0.05, annealed.EntropyCoefAt(0), 12);
        Assert.Equal(0.03, annealed.EntropyCoefAt(0.5), 12);
        Assert.Equal(0.01, annealed.EntropyCoefAt(1), 12);
        Assert.Equal(0.01, annealed.EntropyCoefAt(1.5), 12); // progress past the end stays at the end
        Assert.Equal(0.05, new PpoOptions { EntropyCoef = 0.05 }.EntropyCoefAt(0.7), 12);
    }

    [Fact]
    public void The_trainer_applies_the_entropy_bonus_of_the_runs_progress()
    {
        // At the end of the run an annealed bonus of 0.5 → 0 must train exactly as no bonus at all, and unlike a
        // constant 0.5: the trainer reads the schedule, not the starting value.
        // Every trainer starts from the same parameters (loaded, not re-seeded: other tests draw from libtorch's
        // global generator in parallel).
        float[] start;
        using (var m = new Rl2Model(5, 2, 8)) start = ParameterVector.Get(m);
        float[] TrainOnce(PpoOptions options, double progress)
        {
            var model = new Rl2Model(5, 2, 8);
            ParameterVector.Load(model, start);
            using var trainer = new PpoTrainer(model, options, seed: 1);
            var trials = Enumerable.Range(0, 4).Select(i => BanditTrial(i, 6, new Random(i))).ToArray();
            Assert.False(trainer.Update(trials, 0, progress).Skipped);
            return trainer.GetParameters();
        }
        var annealedAtEnd = TrainOnce(new PpoOptions { EntropyCoef = 0.5, EntropyCoefEnd = 0 }, progress: 1);
        Assert.Equal(TrainOnce(new PpoOptions { EntropyCoef = 0 }, progress: 1), annealedAtEnd);
        Assert.NotEqual(TrainOnce(new PpoOptions { EntropyCoef = 0.5 }, progress: 1), annealedAtEnd);
    }
}
