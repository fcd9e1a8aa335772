using MetaRL.Actors.Population;
using MetaRL.Environments;
using MetaRL.Policies;
using MetaRL.Training;

namespace MetaRL.Extensions.Tests;

/// <summary>A family defined in this assembly, registered as a user would, trained from C# and from a config.</summary>
public sealed class ExtensionPointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-extensions-").FullName;

    public ExtensionPointTests() => EnvCatalog.Register(TwoDoors.Family);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Runs => Path.Combine(_dir, "runs");

    private static TrainConfig Doors(string name, int updates) => new()
    {
        Name = name,
        Seed = 3,
        Env = new EnvConfig { Name = TwoDoors.Family.Name },
        Updates = updates,
        TorchThreads = 1,
        Population = new PopulationOptions { Agents = 32 },
        Model = new ModelOptions { Hidden = 16 },
        Ppo = new MetaRL.Policies.Algorithms.PpoOptions { LearningRate = 0.01, Epochs = 2, Minibatches = 2 },
    };

    private sealed class Recorder : ITrainingObserver
    {
        public List<long> Versions { get; } = [];
        public void OnUpdate(PopulationProgress progress) => Versions.Add(progress.Update.Version);
    }

    [Fact]
    public void A_registered_family_meta_trains_from_the_csharp_api_and_learns_to_remember_the_door()
    {
        var recorder = new Recorder();
        var result = MetaTrainer.Train(Doors("doors", 60), new TrainingOptions { RunsDirectory = Runs }, recorder);

        Assert.True(result.Complete, result.Failure ?? result.StopReason);
        Assert.Equal(60, result.Updates);
        Assert.Equal(Enumerable.Range(1, 60).Select(v => (long)v), recorder.Versions);
        Assert.True(File.Exists(result.ModelFile));
        var scores = Metrics.Column(result.RunPath, "mean_score");
        // Ten doors a trial: 5 by chance; a learner that sticks with the door that paid gets close to 9.5.
        double first = scores.Take(3).Average(), last = scores.TakeLast(5).Average();
        Assert.True(first < 6.5 && last > 8, $"mean score per trial of 10 doors: first {first:0.00}, last {last:0.00}");
    }

    [Fact]
    public void A_registered_family_trains_from_a_config_on_the_command_line_and_evaluates_by_name()
    {
        var config = Path.Combine(_dir, "doors.json");
        File.WriteAllText(config, """
            { "name": "doors-cli", "env": { "name": "two-doors" }, "updates": 3, "population": { "agents": 8 }, "model": { "hidden": 8 } }
            """);
        var (code, stdout, stderr) = Cli.Run("train", config, "--runs", Runs);
        Assert.True(code == 0, stderr);
        Assert.Equal(3, Metrics.Column(Path.Combine(Runs, "doors-cli"), "mean_score").Length);

        (code, stdout, stderr) = Cli.Run("eval", Path.Combine(Runs, "doors-cli"), "--trials", "50");
        Assert.True(code == 0, stderr);
        Assert.Contains("two-doors", stdout);
        Assert.Contains("RL²", stdout);
    }

    [Fact]
    public void A_cancelled_run_saves_its_checkpoint_and_resumes_to_the_end()
    {
        using var cancel = new CancellationTokenSource();
        var observer = new CancelAt(3, cancel);
        var stopped = MetaTrainer.Train(Doors("doors-cancel", 12) with { CheckpointEvery = 1 }, new TrainingOptions { RunsDirectory = Runs }, observer, cancel.Token);
        Assert.False(stopped.Complete);
        Assert.StartsWith("cancelled", stopped.StopReason);
        Assert.InRange(stopped.Updates, 3, 11);

        using var session = MetaTrainer.Resume("doors-cancel", new TrainingOptions { RunsDirectory = Runs });
        Assert.True(session.Resuming);
        var resumed = session.Run();
        Assert.True(resumed.Complete, resumed.Failure ?? resumed.StopReason);
        Assert.Equal(12, resumed.Updates);
        Assert.Equal(stopped.Updates, resumed.StartUpdate);
    }

    private sealed class CancelAt(long version, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void OnUpdate(PopulationProgress progress)
        {
            if (progress.Update.Version >= version) cancel.Cancel();
        }
    }

    [Fact]
    public void A_second_run_of_the_same_name_is_refused_unless_overwritten()
    {
        MetaTrainer.Train(Doors("doors-twice", 1), new TrainingOptions { RunsDirectory = Runs });
        var refused = Assert.Throws<ArgumentException>(() => MetaTrainer.Train(Doors("doors-twice", 1), new TrainingOptions { RunsDirectory = Runs }));
        Assert.Contains("already holds a run", refused.Message);
        Assert.True(MetaTrainer.Train(Doors("doors-twice", 1), new TrainingOptions { RunsDirectory = Runs, Overwrite = true }).Complete);
    }

    [Fact]
    public void Registering_is_idempotent_for_one_family_and_refuses_another_under_a_taken_name()
    {
        EnvCatalog.Register(TwoDoors.Family);
        Assert.Single(EnvCatalog.All, f => f.Name == "two-doors");
        var impostor = new EnvFamily<int, int, DoorTask>("Bernoulli-Bandit", "not the bandit", 1, [],
            o => throw new InvalidOperationException(), (o, t) => new TwoDoorsEnv(t));
        var e = Assert.Throws<ArgumentException>(() => EnvCatalog.Register(impostor));
        Assert.Contains("already registered", e.Message);
        Assert.Same(EnvCatalog.Get("bernoulli-bandit"), EnvCatalog.All[0]);
    }

    [Fact]
    public void Knobs_a_family_or_model_does_not_take_are_refused_with_their_names()
    {
        var config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, """{ "name": "bad", "env": { "name": "two-doors", "options": { "doors": 3 } }, "updates": 1 }""");
        var (code, _, stderr) = Cli.Run("train", config, "--runs", Runs);
        Assert.Equal(2, code);
        Assert.Contains("option 'doors' does not apply to two-doors", stderr);

        File.WriteAllText(config, """{ "name": "bad", "env": { "name": "two-doors" }, "model": { "options": { "layers": 2 } }, "updates": 1 }""");
        (code, _, stderr) = Cli.Run("train", config, "--runs", Runs);
        Assert.Equal(2, code);
        Assert.Contains("model.options.layers", stderr);
        Assert.Contains("gru takes no options", stderr);
        Assert.False(Directory.Exists(Path.Combine(Runs, "bad")) && File.Exists(Path.Combine(Runs, "bad", "config.json")), "nothing is written for a refused config");
    }

    [Fact]
    public void An_extension_that_cannot_load_is_one_line_and_exit_code_2()
    {
        var (code, _, stderr) = Cli.Run("--extension", Path.Combine(_dir, "missing.dll"), "baselines");
        Assert.Equal(2, code);
        Assert.Contains("no such file", stderr);

        (code, _, stderr) = Cli.Run("--extension", typeof(ModelCatalog).Assembly.Location, "baselines");
        Assert.Equal(2, code);
        Assert.Contains("has no public class implementing IMetaRLExtension", stderr);
    }
}
