using System.Text.Json;
using MetaRL.Environments;
using MetaRL.Environments.Navigation;
using MetaRL.Environments.Spaces;
using MetaRL.Policies.Maml;
using MetaRL.Training;

namespace MetaRL.Extensions.Tests;

/// <summary>MAML and Reptile runs through the C# API and the command line: run folder, cancellation and resume, evaluation, bad configs.</summary>
public sealed class MetaGradientRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-maml-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Runs => Path.Combine(_dir, "runs");

    private static TrainConfig Small(string name, MetaAlgorithm algorithm, int updates) => new()
    {
        Name = name,
        Algorithm = algorithm,
        Env = new EnvConfig { Name = "point-navigation", Horizon = 20 },
        Updates = updates,
        CheckpointEvery = 1,
        Maml = new MetaGradientOptions { TasksPerUpdate = 4, EpisodesPerTask = 4, Hidden = 16, EvalTasks = 6, EvalSteps = 2 },
    };

    private sealed class CancelAt(long update, CancellationTokenSource cancel) : ITrainingObserver
    {
        public List<MetaGradientProgress> Seen { get; } = [];

        public void OnMetaUpdate(MetaGradientProgress progress)
        {
            Seen.Add(progress);
            if (progress.Update >= update) cancel.Cancel();
        }
    }

    [Fact]
    public void A_maml_run_reports_each_meta_update_stops_when_cancelled_and_resumes_to_the_end()
    {
        using var cancel = new CancellationTokenSource();
        var observer = new CancelAt(3, cancel);
        var stopped = MetaTrainer.Train(Small("maml", MetaAlgorithm.Maml, 8), new TrainingOptions { RunsDirectory = Runs }, observer, cancel.Token);
        Assert.False(stopped.Complete);
        Assert.Equal("cancelled", stopped.StopReason);
        Assert.Equal(3, stopped.Updates);
        Assert.Equal([1L, 2, 3], observer.Seen.Select(p => p.Update));
        Assert.All(observer.Seen, p => Assert.True(double.IsFinite(p.PreUpdateReturn) && p.PreUpdateReturn < 0 && double.IsFinite(p.PostUpdateReturn)));

        using var session = MetaTrainer.Resume("maml", new TrainingOptions { RunsDirectory = Runs });
        var resumed = session.Run();
        Assert.True(resumed.Complete, resumed.Failure ?? resumed.StopReason);
        Assert.Equal(8, resumed.Updates);
        Assert.Equal(3, resumed.StartUpdate);
        var updates = File.ReadAllLines(resumed.MetricsFile).Skip(1).Select(l => int.Parse(l.Split(',')[0])).ToArray();
        Assert.Equal(Enumerable.Range(1, 8), updates);
    }

    [Fact]
    public void Eval_adapts_a_reptile_run_to_held_out_goals_step_by_step_beside_random_actions()
    {
        var config = Path.Combine(_dir, "reptile.json");
        File.WriteAllText(config, """
            { "name": "reptile", "algorithm": "Reptile", "env": { "name": "point-navigation", "horizon": 20 }, "updates": 3,
              "maml": { "tasksPerUpdate": 3, "episodesPerTask": 4, "innerSteps": 2, "hidden": 16, "evalTasks": 5, "evalSteps": 3 } }
            """);
        var (code, stdout, stderr) = Cli.Run("train", config, "--runs", Runs);
        Assert.True(code == 0, stderr);
        Assert.Contains("Reptile, 3 tasks × 4 episodes an inner step", stdout);
        Assert.Contains("update 3/3  return before adapting", stderr);

        (code, stdout, stderr) = Cli.Run("eval", Path.Combine(Runs, "reptile"), "--json");
        Assert.True(code == 0, stderr);
        var e = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("Reptile", e.GetProperty("algorithm").GetString());
        Assert.Equal(4, e.GetProperty("adaptation").GetArrayLength()); // before adapting, then after 1, 2 and 3 steps
        Assert.All(e.GetProperty("adaptation").EnumerateArray(), s => Assert.True(s[0].GetDouble() < 0 && s[1].GetDouble() >= 0));
        Assert.True(e.GetProperty("random")[0].GetDouble() < 0);
    }

    [Fact]
    public void Maml_on_a_family_without_box_actions_or_in_a_cluster_is_refused_in_one_line()
    {
        var config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, """{ "name": "bad", "algorithm": "Maml", "env": { "name": "bernoulli-bandit" }, "updates": 1 }""");
        var (code, _, stderr) = Cli.Run("train", config, "--runs", Runs);
        Assert.Equal(2, code);
        Assert.Contains("MAML and Reptile here train Gaussian policies over Box observations and actions", stderr);
        Assert.Single(stderr.Trim().Split('\n'));

        File.WriteAllText(config, """{ "name": "bad", "algorithm": "Maml", "env": { "name": "point-navigation" }, "maml": { "innerSteps": 0 }, "updates": 1 }""");
        (code, _, stderr) = Cli.Run("train", config, "--runs", Runs);
        Assert.Equal(2, code);
        Assert.Contains("maml.innerSteps", stderr);

        File.WriteAllText(config, """{ "name": "bad", "algorithm": "Maml", "env": { "name": "point-navigation" }, "updates": 1 }""");
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        (code, _, stderr) = Cli.Run("train", config, "--runs", Runs, "--cluster-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, code);
        Assert.Contains("a cluster runs the population (algorithm = Ppo)", stderr);
    }

    /// <summary>point-navigation whose envs, all together, throw on their 50th step: the first meta-update of a run on it fails.</summary>
    private static readonly EnvFamily<float[], float[], PointGoalTask> Breaking = new("breaking-point-navigation", "point-navigation that throws on its 50th step",
        episodesPerTrial: 2, optionNames: [],
        distribution: o => ((EnvFamily<float[], float[], PointGoalTask>)EnvCatalog.Get("point-navigation")).CreateDistribution(o),
        env: (o, task) => new BreakingEnv(new PointNavigationEnv(task, 20)));

    private sealed class BreakingEnv(PointNavigationEnv inner) : ITaskEnv<float[], float[], PointGoalTask>
    {
        public static int Steps;
        public Space<float[]> ObservationSpace => inner.ObservationSpace;
        public Space<float[]> ActionSpace => inner.ActionSpace;
        public PointGoalTask Task => inner.Task;
        public void SetTask(PointGoalTask task) => inner.SetTask(task);
        public (float[] Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null) => inner.Reset(seed, options);
        public StepResult<float[]> Step(float[] action) => Interlocked.Increment(ref Steps) == 50 ? throw new InvalidOperationException("the simulator broke") : inner.Step(action);
    }

    [Fact]
    public void An_update_that_throws_ends_the_run_as_failed_at_its_last_checkpoint_and_says_why()
    {
        EnvCatalog.Register(Breaking);
        BreakingEnv.Steps = 0;
        var config = Small("breaks", MetaAlgorithm.Reptile, 3) with { Env = new EnvConfig { Name = Breaking.Name } };
        var result = MetaTrainer.Train(config, new TrainingOptions { RunsDirectory = Runs });
        Assert.False(result.Complete);
        Assert.Equal(0, result.Updates);
        Assert.Contains("InvalidOperationException: the simulator broke (in the Reptile trainer, update 1)", result.Failure);
        var status = JsonDocument.Parse(File.ReadAllText(Path.Combine(Runs, "breaks", "run.json"))).RootElement;
        Assert.Equal("incomplete", status.GetProperty("state").GetString());
        Assert.Contains("the simulator broke", status.GetProperty("reason").GetString());
    }

    [Fact]
    public void Eval_every_is_refused_for_a_meta_gradient_run()
    {
        var e = Assert.Throws<ArgumentException>(() => MetaTrainer.Train(Small("every", MetaAlgorithm.Maml, 1) with { Eval = new EvalConfig { Every = 5 } },
            new TrainingOptions { RunsDirectory = Runs }));
        Assert.Contains("eval.every applies to the population's runs", e.Message);
        Assert.False(Directory.Exists(Path.Combine(Runs, "every")));
    }
}
