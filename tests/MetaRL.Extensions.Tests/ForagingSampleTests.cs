using System.Text.Json;
using ForagingPatches;
using MetaRL.Environments.Tasks;
using MetaRL.Training;

namespace MetaRL.Extensions.Tests;

/// <summary>samples/ForagingPatches: its env's law, and RL² meta-trained on it from C# and from the command line.</summary>
public sealed class ForagingSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-foraging-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string SampleConfig => Path.Combine(AppContext.BaseDirectory, "foraging.json");

    [Fact]
    public void A_visit_depletes_its_patch_while_the_others_regrow_toward_their_quality_and_a_reset_restores_them()
    {
        var env = new ForagingEnv(new ForagingTask([0.8, 0.4]), horizon: 3, depletion: 0.25, regrowth: 0.5);
        env.Reset(seed: 1);
        Assert.Equal(0.8, env.MeanReward(0), 12);
        env.Step(0);
        Assert.Equal(0.6, env.MeanReward(0), 12);   // 0.8 × (1 − 0.25)
        Assert.Equal(0.4, env.MeanReward(1), 12);   // at its quality already
        env.Step(1);
        Assert.Equal(0.7, env.MeanReward(0), 12);   // 0.6 + 0.5 × (0.8 − 0.6)
        Assert.Equal(0.3, env.MeanReward(1), 12);
        Assert.True(env.Step(1).Truncated);         // the third visit ends the episode
        Assert.Throws<InvalidOperationException>(() => env.Step(0));
        env.Reset();
        Assert.Equal(0.8, env.MeanReward(0), 12);
        Assert.Equal(0.4, env.MeanReward(1), 12);
    }

    /// <summary>A forager that visits patches uniformly at random, on the held-out tasks: the score RL² must beat.</summary>
    private static double RandomForager(int trials, int seed)
    {
        var tasks = new ForagingDistribution(4, TaskSplit.Test);
        var rng = new Random(seed);
        double total = 0;
        for (int trial = 0; trial < trials; trial++)
        {
            var env = new ForagingEnv(tasks.Sample(rng), Foraging.DefaultHorizon, depletion: 0.3, regrowth: 0.2);
            for (int episode = 0; episode < 4; episode++)
            {
                env.Reset(rng.Next());
                for (bool done = false; !done;)
                {
                    var r = env.Step(rng.Next(4));
                    total += r.Reward;
                    done = r.Truncated;
                }
            }
        }
        return total / trials;
    }

    [Fact]
    public void Rl2_meta_trained_from_csharp_forages_held_out_grounds_better_than_a_random_forager()
    {
        new ForagingExtension().Register();
        var config = TrainConfigLoader.Load(SampleConfig, ["updates=150", "ppo.learningRate=0.005"]);
        var result = MetaTrainer.Train(config, new TrainingOptions { RunsDirectory = Path.Combine(_dir, "runs") });
        Assert.True(result.Complete, result.Failure ?? result.StopReason);

        var (code, stdout, stderr) = Cli.Run("eval", result.RunPath, "--trials", "500", "--json");
        Assert.True(code == 0, stderr);
        var test = JsonDocument.Parse(stdout).RootElement.GetProperty("splits").EnumerateArray().First(s => s.GetProperty("split").GetString() == "test");
        var learner = test.GetProperty("results").EnumerateArray().First();
        double mean = learner.GetProperty("mean").GetDouble(), stderrOfMean = learner.GetProperty("stderr").GetDouble();
        double random = RandomForager(4000, seed: 5);
        // Random visits score about 36 a trial of 100; the learner, which must find the good patches and rotate among them, about 39.
        Assert.True(mean > random + 1.5 && mean - 4 * stderrOfMean > random,
            $"RL² {mean:0.00} ± {stderrOfMean:0.00} against a random forager's {random:0.00}");
    }

    [Fact]
    public void The_command_line_loads_the_sample_as_an_extension_and_trains_its_config()
    {
        var dll = typeof(ForagingExtension).Assembly.Location;
        var (code, stdout, stderr) = Cli.Run("--extension", dll, "train", SampleConfig, "--runs", Path.Combine(_dir, "runs"), "--set", "updates=2");
        Assert.True(code == 0, stderr);
        Assert.Contains("training foraging-patches: foraging-patches", stdout);

        (code, _, stderr) = Cli.Run("--extension", dll, "train", SampleConfig, "--runs", Path.Combine(_dir, "runs"), "--overwrite", "--set", "env.options.patches=1");
        Assert.Equal(2, code);
        Assert.Contains("option 'patches' of foraging-patches must be a whole number from 2 to 64, got 1", stderr);
    }

    [Fact]
    public void Baselines_run_random_foraging_on_the_registered_family_by_name()
    {
        var dll = typeof(ForagingExtension).Assembly.Location;
        var (code, stdout, stderr) = Cli.Run("--extension", dll, "baselines", "--env", "foraging-patches", "--trials", "2000", "--json");
        Assert.True(code == 0, stderr);
        var random = JsonDocument.Parse(stdout).RootElement.GetProperty("results").EnumerateArray().Single();
        Assert.Equal("Random", random.GetProperty("policy").GetString());
        // The same law as the test's own random forager, on other draws: within four standard errors of it.
        double expected = RandomForager(4000, seed: 5), se = random.GetProperty("stderr").GetDouble();
        Assert.InRange(random.GetProperty("mean").GetDouble(), expected - 4 * se - 0.3, expected + 4 * se + 0.3);
    }
}
