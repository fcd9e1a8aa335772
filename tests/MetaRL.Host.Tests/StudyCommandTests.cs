using System.Globalization;
using System.Text.Json;

namespace MetaRL.Host.Tests;

/// <summary>Non-stationary studies from the command line: <c>--schedule</c>, <c>env.schedule</c>, <c>population.groups</c> and <c>metarl study</c>.</summary>
public sealed class StudyCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-study-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File_(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static TheoryData<string> BadSchedules => new()
    {
        "", "switch-every", "switch-every:0", "switch-every:1.5", "hazard:0", "hazard:2", "drift:-1", "drift:nan",
        "scripted:no-such-file.json", "bogus:3", "switch-every:5+switch-every:9", "switch-every:5++drift:0.1",
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public void Every_bad_schedule_form_is_refused_with_one_line_and_exit_2(string schedule)
    {
        var (code, stdout, stderr) = Cli.Run("baselines", "--env", "bernoulli-bandit", "--schedule", schedule, "--trials", "10");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("metarl baselines: --schedule", line);
        Assert.Contains("allowed: switch-every:K", line);
    }

    [Fact]
    public void A_schedule_the_family_cannot_run_is_refused_and_so_is_a_bad_env_schedule_in_a_config()
    {
        var (code, _, stderr) = Cli.Run("baselines", "--env", "tabular-mdp", "--schedule", "drift:0.1");
        Assert.Equal(2, code);
        Assert.Contains("drift does not apply to tabular-mdp", stderr);

        var config = File_("bad.json", """{ "name": "bad", "env": { "name": "bernoulli-bandit", "schedule": "switch-every:zero" } }""");
        (code, _, stderr) = Cli.Run("train", config, "--runs", Path.Combine(_dir, "runs"));
        Assert.Equal(2, code);
        Assert.Contains("env.schedule = \"switch-every:zero\": switch-every takes a whole number", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "runs", "bad"))); // nothing written

        var groups = File_("groups.json", """
            { "name": "g", "env": { "name": "bernoulli-bandit", "schedule": "hazard:0.1" },
              "population": { "agents": 4, "groups": [ { "name": "a", "share": 0.5 }, { "name": "a", "share": 0.7, "schedule": "drift:x" } ] } }
            """);
        (code, _, stderr) = Cli.Run("train", groups, "--runs", Path.Combine(_dir, "runs"));
        Assert.Equal(2, code);
        Assert.Contains("population.groups.1.name = \"a\"", stderr);
        Assert.Contains("population.groups.1.schedule = \"drift:x\"", stderr);
        Assert.Contains("shares that sum to 1", stderr);
        Assert.Contains("env.schedule = \"hazard:0.1\": population.groups is set too", stderr);
    }

    [Fact]
    public void Baselines_under_a_schedule_add_the_tuned_tracking_baselines_the_tracking_oracle_and_their_regret()
    {
        var (code, stdout, stderr) = Cli.Run("baselines", "--env", "bernoulli-bandit", "--pulls", "60", "--schedule", "switch-every:20",
            "--trials", "200", "--json", "--threads", "2");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("switch-every:20", doc.RootElement.GetProperty("schedule").GetString());
        var rows = doc.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("policy").GetString()!);
        foreach (var name in new[] { "UCB1", "Gittins", "SW-UCB", "D-UCB", "D-TS", "Tracking oracle" }) Assert.True(rows.ContainsKey(name), name);
        Assert.False(rows.ContainsKey("Oracle"));
        Assert.Equal(0.0, rows["Tracking oracle"].GetProperty("trackingRegret").GetDouble());
        foreach (var (name, row) in rows.Where(r => r.Key != "Tracking oracle"))
        {
            Assert.True(row.GetProperty("trackingRegret").GetDouble() > 0, name);
            Assert.False(row.TryGetProperty("paper", out _)); // the paper's figures are for stationary tasks
            Assert.Equal(60, row.GetProperty("recoveryCurve").GetArrayLength());
            Assert.Equal(-10, row.GetProperty("recoveryCurveFirstOffset").GetInt32());
        }
        Assert.Contains("best of 10/20/50/100/200/500 on 500 train trials", rows["SW-UCB"].GetProperty("settings").GetString());
        // Switches at 20 and 40 of every trial: 2 a trial.
        Assert.Equal(400, rows["UCB1"].GetProperty("switches").GetInt64());

        // The same seed prints the same table.
        var again = Cli.Run("baselines", "--env", "bernoulli-bandit", "--pulls", "60", "--schedule", "switch-every:20", "--trials", "200", "--json", "--threads", "1");
        Assert.Equal(stdout, again.Out);
    }

    [Fact]
    public void Groups_train_together_each_under_its_own_schedule_with_their_scores_in_metrics_and_eval()
    {
        // Group "paying" switches before the first pull to a task whose every arm pays 1: its score is the trial length exactly.
        var script = File_("all-pay.json", """{ "changes": [ { "step": 0, "task": { "means": [1, 1, 1] } } ] }""");
        var config = File_("groups.json", $$"""
            { "name": "grouped", "seed": 3, "env": { "name": "bernoulli-bandit", "arms": 3 }, "episodesPerTrial": 6, "updates": 2,
              "population": { "agents": 8, "groups": [ { "name": "paying", "share": 0.25, "schedule": "scripted:{{Path.GetFileName(script)}}" },
                                                       { "name": "plain", "share": 0.75 } ] },
              "model": { "hidden": 8 }, "eval": { "trials": 30 } }
            """);
        var runs = Path.Combine(_dir, "runs");
        var (code, _, stderr) = Cli.Run("train", config, "--runs", runs);
        Assert.True(code == 0, stderr);
        var csv = File.ReadAllLines(Path.Combine(runs, "grouped", "metrics.csv"));
        var header = csv[0].Split(',');
        Assert.Equal(["score_paying", "score_plain"], header[^2..]);
        foreach (var row in csv[1..])
        {
            var cells = row.Split(',');
            Assert.Equal(6.0, double.Parse(cells[^2], CultureInfo.InvariantCulture));
            Assert.True(double.Parse(cells[^1], CultureInfo.InvariantCulture) < 6.0);
        }
        Assert.Contains(script, File.ReadAllText(Path.Combine(runs, "grouped", "config.json"))); // saved with its full path

        (code, var stdout, stderr) = Cli.Run("eval", Path.Combine(runs, "grouped"), "--json", "--trials", "30");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var splits = doc.RootElement.GetProperty("splits").EnumerateArray().ToDictionary(s => s.GetProperty("split").GetString()!);
        Assert.Equal(["test/paying", "ood/paying", "test/plain", "ood/plain"], splits.Keys);
        double Score(string split) => splits[split].GetProperty("rl2").GetProperty("mean").GetDouble();
        Assert.Equal(6.0, Score("test/paying"));
        Assert.True(Score("test/plain") < 6.0);
    }

    [Fact]
    public void Study_trains_then_compares_the_learner_with_the_tracking_baselines_in_study_json()
    {
        var config = File_("switching.json", """
            { "name": "switching", "seed": 4, "env": { "name": "bernoulli-bandit", "arms": 3, "schedule": "switch-every:10" },
              "episodesPerTrial": 30, "updates": 2, "population": { "agents": 8 }, "model": { "hidden": 8 }, "eval": { "trials": 40 } }
            """);
        var runs = Path.Combine(_dir, "runs");
        var (code, stdout, stderr) = Cli.Run("study", config, "--runs", runs);
        Assert.True(code == 0, stderr);
        Assert.Contains("stopped: ran 2 updates", stdout);
        Assert.Contains("Recovery curves", stdout);
        Assert.Contains("Tracking oracle", stdout);
        var file = Path.Combine(runs, "switching", "study.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal("switch-every:10", doc.RootElement.GetProperty("schedule").GetString());
        var test = doc.RootElement.GetProperty("splits").EnumerateArray().First(s => s.GetProperty("split").GetString() == "test");
        var rows = test.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("policy").GetString()!);
        Assert.True(rows["RL²"].GetProperty("trackingRegret").GetDouble() > 0);
        Assert.Equal(80, rows["RL²"].GetProperty("switches").GetInt64()); // at 10 and 20 of each of 40 trials
        Assert.Equal(rows["RL²"].GetProperty("switches").GetInt64(), rows["SW-UCB"].GetProperty("switches").GetInt64());

        // A trained run can be studied again, under another schedule; a run without any schedule is refused.
        (code, stdout, stderr) = Cli.Run("study", "--run", Path.Combine(runs, "switching"), "--schedule", "hazard:0.2", "--trials", "20", "--json",
            "--from-scratch", "--from-scratch-tasks", "2", "--from-scratch-updates", "3");
        Assert.True(code == 0, stderr);
        using (var again = JsonDocument.Parse(stdout))
        {
            Assert.Equal("hazard:0.2", again.RootElement.GetProperty("schedule").GetString());
            var scratch = again.RootElement.GetProperty("fromScratch");
            Assert.Equal(30, scratch.GetProperty("inContextSteps").GetInt32());
            Assert.Equal(3 * 32 * 30, scratch.GetProperty("budgetSteps").GetInt64());
            var tasks = scratch.GetProperty("tasks").EnumerateArray().ToArray();
            Assert.Equal(2, tasks.Length);
            foreach (var t in tasks)
                if (t.GetProperty("steps").ValueKind == JsonValueKind.Number)
                    Assert.Equal(0, t.GetProperty("steps").GetInt64() % (32 * 30)); // whole updates of 32 trials
        }
        (code, _, stderr) = Cli.Run("study", "--run", Path.Combine(runs, "switching"), "--from-scratch-tasks", "0");
        Assert.Equal(2, code);
        Assert.Contains("--from-scratch-tasks must be from 1 to 1000", stderr);
        var plain = File_("plain.json", """{ "name": "plain", "env": { "name": "bernoulli-bandit" }, "updates": 1 }""");
        (code, _, stderr) = Cli.Run("study", plain, "--runs", runs);
        Assert.Equal(2, code);
        Assert.Contains("no env.schedule", stderr);
        Assert.False(Directory.Exists(Path.Combine(runs, "plain")));
    }
}
