using MetaRL.Policies.Pearl;
using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Tests;

public sealed class PearlModelTests
{
    // RL² input: obs (2), previous action (2), reward, done, progress; then the latent's 3 noise floats.
    private const int Obs = 2, Act = 2, Rl2 = Obs + Act + 3, Latent = 3, In = Rl2 + Latent, EpisodeSteps = 3, T = 2 * EpisodeSteps, B = 2;
    private static readonly ModelShape Shape = new(Rl2, Act, T) { ObservationSize = Obs, ActionInputs = Act };

    private static PearlModel NewModel(float[]? parameters = null, double klWeight = 0.5, double rewardWeight = 0)
    {
        var model = new PearlModel(Shape, Latent, hidden: 8, encoderHidden: 8, klWeight, rewardWeight);
        if (parameters is not null) ParameterVector.Load(model, parameters);
        return model;
    }

    /// <summary>Two episodes of three steps per row: random obs, actions and rewards; done on each episode's first step; one noise draw per episode.</summary>
    private static float[] Trials(int seed)
    {
        var rng = new Random(seed);
        var x = new float[T * B * In];
        for (int b = 0; b < B; b++)
        {
            var noise = new float[Latent];
            for (int t = 0; t < T; t++)
            {
                var row = x.AsSpan((t * B + b) * In, In);
                bool first = t % EpisodeSteps == 0;
                if (first)
                    for (int k = 0; k < Latent; k++) noise[k] = (float)(rng.NextDouble() * 2 - 1);
                for (int k = 0; k < Obs + Act + 1; k++) row[k] = t == 0 && k >= Obs ? 0 : (float)(rng.NextDouble() * 2 - 1);
                row[Obs + Act + 1] = first ? 1 : 0;
                row[Obs + Act + 2] = t / EpisodeSteps / 2f;
                noise.CopyTo(row[Rl2..]);
            }
        }
        return x;
    }

    /// <summary>The batcher's steps over <paramref name="x"/>: each step's policy rows, values and memory rows.</summary>
    private static (float[] Outputs, float[] Values, float[][] Memory) Stepped(float[] parameters, float[] x)
    {
        using var policy = new InContextPolicy(NewModel(parameters));
        var memory = new float[B * policy.MemorySize];
        var rows = new float[B * Act];
        var v = new float[B];
        var outputs = new float[T * B * Act];
        var values = new float[T * B];
        var memories = new float[T][];
        for (int t = 0; t < T; t++)
        {
            policy.Step(B, x[(t * B * In)..((t + 1) * B * In)], memory, rows, v);
            rows.CopyTo(outputs, t * B * Act);
            v.CopyTo(values, t * B);
            memories[t] = (float[])memory.Clone();
        }
        return (outputs, values, memories);
    }

    [Fact]
    public void The_batchers_steps_compute_what_the_whole_trial_forward_computes()
    {
        float[] parameters;
        using (var template = NewModel()) parameters = ParameterVector.Get(template);
        var x = Trials(1);
        var (outputs, values, _) = Stepped(parameters, x);

        using var model = NewModel(parameters);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (logits, seqValues, kl) = model.ForwardTrialsForLoss(tensor(x, [T, B, In]));
        var expectedValues = seqValues.ToArray<float>();
        var expectedOutputs = logits.softmax(-1).ToArray<float>(); // the batcher hands out a categorical policy's probabilities
        for (int i = 0; i < expectedValues.Length; i++) Assert.Equal(expectedValues[i], values[i], 1e-5f);
        for (int i = 0; i < expectedOutputs.Length; i++) Assert.Equal(expectedOutputs[i], outputs[i], 1e-5f);
        Assert.Equal([T, B], kl!.shape);
    }

    [Fact]
    public void The_first_episode_acts_on_the_prior_and_z_is_redrawn_from_the_posterior_only_when_an_episode_begins()
    {
        float[] parameters;
        using (var template = NewModel()) parameters = ParameterVector.Get(template);
        var x = Trials(2);
        var (_, _, memory) = Stepped(parameters, x);
        int m = Obs + 1 + 3 * Latent, zAt = Obs + 1 + 2 * Latent, precisionAt = Obs + 1;
        for (int b = 0; b < B; b++)
        {
            float[] Z(int t) => memory[t].AsSpan(b * m + zAt, Latent).ToArray();
            float[] Precision(int t) => memory[t].AsSpan(b * m + precisionAt, Latent).ToArray();
            float[] Noise(int t) => x.AsSpan((t * B + b) * In + Rl2, Latent).ToArray();
            // Step 0 has no previous transition: the posterior is the prior N(0, I), so z is the noise itself.
            Assert.All(Precision(0), p => Assert.Equal(0f, p));
            Assert.Equal(Noise(0), Z(0));
            // Within an episode z holds while the posterior sharpens with every transition.
            for (int t = 1; t < EpisodeSteps; t++)
            {
                Assert.Equal(Z(0), Z(t));
                for (int k = 0; k < Latent; k++) Assert.True(Precision(t)[k] > Precision(t - 1)[k]);
            }
            // The second episode draws z from the posterior: no longer the bare noise.
            Assert.NotEqual(Z(EpisodeSteps - 1), Z(EpisodeSteps));
            Assert.NotEqual(Noise(EpisodeSteps), Z(EpisodeSteps));
            Assert.Equal(Z(EpisodeSteps), Z(T - 1));
        }
    }

    [Fact]
    public void The_kl_to_the_prior_is_zero_before_any_transition_and_positive_after()
    {
        using var model = NewModel();
        using var scope = NewDisposeScope();
        var (_, _, kl) = model.ForwardTrialsForLoss(tensor(Trials(3), [T, B, In]));
        var perStep = kl!.ToArray<float>();
        for (int b = 0; b < B; b++) Assert.Equal(0f, perStep[b], 1e-6f);
        for (int i = B; i < perStep.Length; i++) Assert.True(perStep[i] > 0, $"KL at {i} is {perStep[i]}");
    }

    [Fact]
    public void The_reward_decoder_is_scored_on_every_transition_but_the_one_an_episodes_draw_has_seen()
    {
        using var model = NewModel(klWeight: 0, rewardWeight: 1);
        using var scope = NewDisposeScope();
        var x = Trials(5);
        var (_, _, auxiliary) = model.ForwardTrialsForLoss(tensor(x, [T, B, In]));
        var perStep = auxiliary!.ToArray<float>();
        for (int t = 0; t < T; t++)
            for (int b = 0; b < B; b++)
            {
                // An episode's first step reports the last transition of the episode before, which its z was drawn after.
                if (t % EpisodeSteps == 0) Assert.Equal(0f, perStep[t * B + b]);
                else Assert.True(perStep[t * B + b] > 0, $"decoder error at step {t} is {perStep[t * B + b]}");
            }
        // The decoder's error reaches the encoder through the posterior draw of the second episode.
        model.zero_grad();
        auxiliary.sum().backward();
        Assert.True(model.Encoder1.weight.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void The_policy_loss_reaches_the_encoder_through_z_only_from_the_episodes_that_sampled_the_posterior()
    {
        using var model = NewModel();
        var x = tensor(Trials(4), [T, B, In]);
        Tensor EncoderGradientFrom(int firstStep, int steps)
        {
            model.zero_grad();
            var (logits, _) = model.ForwardTrials(x);
            logits.narrow(0, firstStep, steps).sum().backward();
            return model.Encoder1.weight.grad!.abs().sum();
        }
        Assert.Equal(0f, EncoderGradientFrom(0, EpisodeSteps).item<float>()); // z = ε: the encoder plays no part yet
        Assert.True(EncoderGradientFrom(EpisodeSteps, EpisodeSteps).item<float>() > 0);
    }

    [Fact]
    public void Pearl_refuses_a_shape_without_the_inputs_layout_and_bad_sizes()
    {
        Assert.Contains("observation", Assert.Throws<ArgumentException>(() => new PearlModel(new ModelShape(Rl2, Act, T), Latent, 8, 8, 0.1)).Message);
        Assert.Contains("latent 0", Assert.Throws<ArgumentException>(() => new PearlModel(Shape, 0, 8, 8, 0.1)).Message);
        Assert.Contains("KL weight", Assert.Throws<ArgumentException>(() => new PearlModel(Shape, Latent, 8, 8, -1)).Message);
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => new PearlModel(Shape with { InputSize = Rl2 + 3 }, Latent, 8, 8, 0.1)).Message);
    }

    [Fact]
    public void The_catalog_builds_pearl_by_name_with_its_options()
    {
        var options = new ModelOptions { Type = "PEARL", Hidden = 8, Options = new() { ["latent"] = 4, ["klWeight"] = 0.2 } };
        using var model = options.Create(Rl2, new Actions.CategoricalHead(Act), T, Obs, Act);
        var pearl = Assert.IsType<PearlModel>(model);
        Assert.Equal(4, pearl.EpisodeNoise);
        Assert.Equal(Rl2 + 4, pearl.InputSize);
        Assert.Equal(0.2, pearl.KlWeight);
        var fractional = options with { Options = new() { ["latent"] = 2.5 } };
        Assert.Contains("model.options.latent = 2.5: a whole number", Assert.Throws<ArgumentException>(() => fractional.Create(Rl2, new Actions.CategoricalHead(Act), T, Obs, Act)).Message);
    }

    /// <summary>
    /// Two 20-step episodes of random actions on 2D navigation per trial, as the agent's RL² input records them: the
    /// reward decoder, trained alone, must come to predict the second episode's rewards from the posterior of the first.
    /// </summary>
    [Fact]
    public void Trained_on_its_auxiliary_loss_alone_the_encoder_learns_the_goal_from_the_first_episode()
    {
        const int Steps = 20, Trials = 64;
        var shape = new ModelShape(2 + 2 + 2, 2, 2 * Steps) { ObservationSize = 2, ActionInputs = 2 };
        using var model = new PearlModel(shape, latent: 5, hidden: 8, encoderHidden: 64, klWeight: 0, rewardWeight: 1);
        var rng = new Random(1);
        float[] Batch()
        {
            var x = new float[2 * Steps * Trials * model.InputSize];
            var tasks = new Environments.Navigation.SquareGoalDistribution();
            for (int b = 0; b < Trials; b++)
            {
                var env = new Environments.Navigation.PointNavigationEnv(tasks.Sample(rng), Steps);
                var rl2 = new Environments.Wrappers.Rl2Input<float[], float[]>(env.ObservationSpace, env.ActionSpace, 0, model.EpisodeNoise, rng.Next());
                var obs = env.Reset(rng.Next()).Obs;
                for (int t = 0; t < 2 * Steps; t++)
                {
                    rl2.Write(obs, x.AsSpan((t * Trials + b) * model.InputSize, model.InputSize));
                    var action = new[] { (float)(rng.NextDouble() * 0.2 - 0.1), (float)(rng.NextDouble() * 0.2 - 0.1) };
                    var r = env.Step(action);
                    rl2.Record(action, r.Reward, r.Done || t == Steps - 1);
                    obs = r.Done || t == Steps - 1 ? env.Reset().Obs : r.Obs;
                }
            }
            return x;
        }
        double EpisodeError(float[] x, int episode)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            return model.ForwardTrialsForLoss(tensor(x, [2 * Steps, Trials, model.InputSize])).Auxiliary!.narrow(0, episode * Steps + 1, Steps - 1).mean().item<float>();
        }
        var test = Batch();
        var adam = optim.Adam(model.parameters(), 3e-3);
        for (int i = 0; i < 1000; i++)
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            model.ForwardTrialsForLoss(tensor(Batch(), [2 * Steps, Trials, model.InputSize])).Auxiliary!.mean().backward();
            adam.step();
        }
        // Episode 1's z is a draw from the prior: the decoder can only learn the average reward there. Episode 2's
        // comes from the posterior of episode 1: knowing the goal, it predicts far better.
        double first = EpisodeError(test, 0), second = EpisodeError(test, 1);
        Assert.True(second < first / 2, $"the decoder's squared error: episode 1 {first:0.0000}, episode 2 {second:0.0000}");
    }
}
