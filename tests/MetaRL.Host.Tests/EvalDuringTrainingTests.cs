using System.Globalization;
using System.Text.Json;
using MetaRL.Host.Reports;

namespace MetaRL.Host.Tests;

/// <summary><c>eval.every</c>: held-out scores in metrics.csv as training goes, the same numbers <c>metarl eval</c> prints.</summary>
public sealed class EvalDuringTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-evaltrain-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config(string json)
    {
        var path = Path.Combine(_dir, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Metrics_get_the_held_out_score_every_n_updates_and_it_is_what_metarl_eval_prints_for_that_version()
    {
        var runs = Path.Combine(_dir, "runs");
        var config = Config("""
            { "name": "scored", "seed": 4, "env": { "name": "bernoulli-bandit", "arms": 3 }, "episodesPerTrial": 6, "updates": 5,
              "population": { "agents": 8 }, "model": { "hidden": 8 }, "eval": { "trials": 60, "every": 2, "seed": 9 } }
            """);
        var (code, stdout, stderr) = Cli.Run("train", config, "--runs", runs);
        Assert.True(code == 0, stderr);
        Assert.Contains("held-out evaluation every 2 updates: 60 test tasks, seed 9", stdout);
        Assert.Contains("best baseline on them: Gittins", stdout);
        Assert.Contains("held-out ", stderr); // the progress line carries the latest score

        var run = Path.Combine(runs, "scored");
        var table = MetricsTable.Parse(File.ReadAllText(Path.Combine(run, "metrics.csv")));
        var means = table["eval_mean"]!;
        // Versions 2 and 4, and the last (5); the other rows have empty cells.
        Assert.Equal([false, true, false, true, true], means.Select(double.IsFinite));
        Assert.All(new[] { 1, 3, 4 }, i => Assert.True(table["eval_stderr"]![i] > 0 && table["eval_seconds"]![i] > 0));

        // The exported model is version 5: metarl eval with the same trials and seed scores it on the same tasks, the same way.
        (code, stdout, stderr) = Cli.Run("eval", run, "--json", "--trials", "60", "--seed", "9");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var test = doc.RootElement.GetProperty("splits").EnumerateArray().First(s => s.GetProperty("split").GetString() == "test");
        Assert.Equal(test.GetProperty("rl2").GetProperty("mean").GetDouble(), means[4], 3);
    }

    [Fact]
    public void Evaluating_during_training_changes_nothing_of_the_training_itself()
    {
        const string json = """
            { "name": "NAME", "seed": 6, "env": { "name": "bernoulli-bandit", "arms": 3 }, "episodesPerTrial": 6, "updates": 4,
              "population": { "agents": 8 }, "model": { "hidden": 8 }, "eval": { "trials": 30, "every": EVERY } }
            """;
        var runs = Path.Combine(_dir, "runs");
        double[] Scores(string name, int every)
        {
            var (code, _, stderr) = Cli.Run("train", Config(json.Replace("NAME", name).Replace("EVERY", every.ToString(CultureInfo.InvariantCulture))), "--runs", runs);
            Assert.True(code == 0, stderr);
            var table = MetricsTable.Parse(File.ReadAllText(Path.Combine(runs, name, "metrics.csv")));
            return [.. table["mean_score"]!, .. table["policy_loss"]!];
        }
        // A lockstep run is reproducible for its seed; the evaluator draws from streams of its own.
        Assert.Equal(Scores("plain", 0), Scores("evaluated", 1));
    }

    [Fact]
    public void A_line_is_printed_when_the_held_out_score_first_reaches_a_share_of_the_best_baseline()
    {
        // Ten pulls of a one-armed bandit: every policy is optimal, so the first evaluation already reaches 100 % of
        // the baselines (which score the same tasks with the same draws), and each line is printed once.
        var config = Config("""
            { "name": "one-arm", "env": { "name": "bernoulli-bandit", "arms": 1 }, "episodesPerTrial": 10, "updates": 4,
              "population": { "agents": 4 }, "model": { "hidden": 4 }, "eval": { "trials": 50, "every": 1 } }
            """);
        var (code, stdout, stderr) = Cli.Run("train", config, "--runs", Path.Combine(_dir, "runs"));
        Assert.True(code == 0, stderr);
        var reached = stdout.Split('\n').Where(l => l.StartsWith("reached ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["90", "95", "97", "100"], reached.Select(l => l.Split(' ')[1]));
        Assert.All(reached, l => Assert.EndsWith("update 1", l.TrimEnd()));
    }

    [Fact]
    public void Evaluation_during_training_is_refused_for_a_clustered_run_with_one_line()
    {
        var config = Config("""{ "name": "c", "env": { "name": "bernoulli-bandit" }, "eval": { "every": 10 } }""");
        var (code, stdout, stderr) = Cli.Run("train", config, "--runs", Path.Combine(_dir, "runs"), "--cluster-port", ClusterProcess.FreePort().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(2, code);
        Assert.Contains("eval.every 10", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "runs", "c")), stdout);
    }
}
