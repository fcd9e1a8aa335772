using MetaRL.Environments.Spaces;
using MetaRL.Policies.Actions;
using MetaRL.Policies.Algorithms;
using MetaRL.Policies.Rl2;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Tests;

/// <summary>The diagonal Gaussian head: its draws, its log-probabilities and entropy, and PPO with it.</summary>
public sealed class GaussianHeadTests
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    [Fact]
    public void A_draw_reports_the_log_probability_that_ppo_scores_for_the_same_action()
    {
        var head = new GaussianHead(2);
        float[] row = [0.3f, -0.2f, 0.5f, 2f]; // means, then standard deviations
        var vector = new float[2];
        float logp = head.Draw(row, [0.25, 0.1, 0.7, 0.9], vector, out _);

        double expected = 0;
        for (int d = 0; d < 2; d++)
        {
            double z = (vector[d] - row[d]) / row[2 + d];
            expected += -0.5 * z * z - Math.Log(row[2 + d]) - HalfLog2Pi;
        }
        Assert.Equal(expected, logp, 4);

        using var scope = NewDisposeScope();
        var output = tensor(new float[] { 0.3f, -0.2f, MathF.Log(0.5f), MathF.Log(2f) }, [1, 1, 4]); // policy output: means, log σ
        var (logProb, entropy) = head.Evaluate(output, tensor(vector, [1, 1, 2]));
        Assert.Equal(expected, logProb.item<float>(), 4);
        Assert.Equal(Math.Log(0.5) + Math.Log(2) + 2 * (0.5 + HalfLog2Pi), entropy.item<float>(), 4);
    }

    [Fact]
    public void Draws_from_keyed_uniforms_have_the_rows_mean_and_standard_deviation()
    {
        var head = new GaussianHead(1);
        float[] row = [0.4f, 0.25f];
        var rng = new Random(3);
        var vector = new float[1];
        var draws = new double[20_000];
        for (int i = 0; i < draws.Length; i++)
        {
            head.Draw(row, [rng.NextDouble(), rng.NextDouble()], vector, out _);
            draws[i] = vector[0];
        }
        double mean = draws.Average(), std = Math.Sqrt(draws.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(mean, 0.4 - 0.01, 0.4 + 0.01); // s.e. of the mean is 0.0018
        Assert.InRange(std, 0.25 - 0.01, 0.25 + 0.01);
        Assert.Equal(0.4f, head.Mode(row, vector, out _) is var _ ? vector[0] : float.NaN);
    }

    [Fact]
    public void Box_actions_clip_the_normalised_draw_and_map_it_onto_the_bounds()
    {
        var codec = new BoxActions(new Box([-0.1f, 0f], [0.1f, 4f]));
        Assert.Equal([0f, 2f], codec.ToEnv(0, [0f, 0f]));
        Assert.Equal([0.1f, 0f], codec.ToEnv(0, [3f, -1f]));
        Assert.Equal([-0.05f, 3f], codec.ToEnv(0, [-0.5f, 0.5f]));
        Assert.Throws<ArgumentException>(() => PolicyHead.For(new Box(1, float.NegativeInfinity, 1)));
    }

    [Fact]
    public void Ppo_moves_a_gaussian_policy_toward_the_paying_action_and_narrows_it()
    {
        // One-step episodes, four to a trial: the action u pays −(u − 0.6)². The RL² input is [obs, prev u, prev r, prev done].
        manual_seed(5);
        const int agents = 32, steps = 4, inSize = 4;
        var model = new ModelOptions { Hidden = 8 }.Create(inSize, PolicyHead.For(new Box(1, -1, 1)), steps);
        Assert.Contains(model.named_parameters(), p => p.name == "log_std");
        using var trainer = new PpoTrainer(model, new PpoOptions { LearningRate = 0.01, Epochs = 4, Minibatches = 2, EntropyCoef = 0, Gamma = 0 }, seed: 1);
        using var policy = new InContextPolicy(new ModelOptions { Hidden = 8 }.Create(inSize, PolicyHead.For(new Box(1, -1, 1)), steps));
        var head = policy.PolicyHead;
        var rng = new Random(9);
        var meanDistance = new List<double>();
        for (int update = 0; update < 60; update++)
        {
            policy.LoadParameters(trainer.GetParameters());
            var inputs = new float[agents * inSize];
            var memory = new float[agents * policy.MemorySize];
            var rows = new float[agents * head.OutputSize];
            var values = new float[agents];
            var x = new float[agents][];
            var vectors = new float[agents][];
            var logps = new float[agents][];
            var vals = new float[agents][];
            var rewards = new float[agents][];
            for (int i = 0; i < agents; i++)
            {
                (x[i], vectors[i], logps[i], vals[i], rewards[i]) = (new float[steps * inSize], new float[steps], new float[steps], new float[steps], new float[steps]);
                inputs[i * inSize] = 1;
                inputs[i * inSize + 3] = 1;
            }
            double distance = 0;
            for (int t = 0; t < steps; t++)
            {
                for (int i = 0; i < agents; i++) Array.Copy(inputs, i * inSize, x[i], t * inSize, inSize);
                policy.Step(agents, inputs, memory, rows, values);
                var u = new float[1];
                for (int i = 0; i < agents; i++)
                {
                    logps[i][t] = head.Draw(rows.AsSpan(i * 2, 2), [rng.NextDouble(), rng.NextDouble()], u, out _);
                    vectors[i][t] = u[0];
                    vals[i][t] = values[i];
                    float a = Math.Clamp(u[0], -1f, 1f);
                    rewards[i][t] = -(a - 0.6f) * (a - 0.6f);
                    distance += Math.Abs(a - 0.6);
                    inputs[i * inSize + 1] = a;
                    inputs[i * inSize + 2] = rewards[i][t];
                    inputs[i * inSize + 3] = 1;
                }
            }
            meanDistance.Add(distance / (agents * steps));
            var trials = Enumerable.Range(0, agents).Select(i => new Trajectory(i, update, steps, inSize, x[i], new int[steps], logps[i], vals[i], rewards[i],
                Enumerable.Repeat(true, steps).ToArray(), update, update, ActionVectors: vectors[i])).ToArray();
            Assert.False(trainer.Update(trials, update, update / 60.0).Skipped);
        }
        double first = meanDistance.Take(3).Average(), last = meanDistance.TakeLast(5).Average();
        Assert.True(first > 0.4 && last < 0.2, $"mean |u − 0.6|: first {first:0.000}, last {last:0.000}; all {string.Join(", ", meanDistance.Select(d => d.ToString("0.00")))}");
    }
}
