using System.Text.Json;

namespace MetaRL.Host.Tests;

/// <summary><c>metarl train</c> and <c>metarl eval</c> end to end on a tiny config, and their errors.</summary>
public sealed class TrainEvalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    private string Config(string json)
    {
        var path = Path.Combine(_dir, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string Tiny = """
        { "name": "tiny", "seed": 2, "env": { "name": "bernoulli-bandit", "arms": 3 }, "episodesPerTrial": 5, "updates": 2,
          "population": { "agents": 8 }, "model": { "hidden": 8 }, "eval": { "trials": 50 } }
        """;

    [Fact]
    public void Train_writes_the_run_folder_and_eval_prints_the_adaptation_curve_beside_the_baselines()
    {
        var runs = Path.Combine(_dir, "runs");
        var (code, stdout, stderr) = Run("train", Config(Tiny), "--runs", runs);
        Assert.True(code == 0, stderr);
        Assert.Contains("stopped: ran 2 updates", stdout);
        var run = Path.Combine(runs, "tiny");
        var csv = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal(3, csv.Length); // header + one row per update
        Assert.StartsWith("update,", csv[0]);
        Assert.Contains("\"agents\": 8", File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.True(File.Exists(Path.Combine(run, "model.pt")));
        Assert.Contains("\"state\": \"complete\"", File.ReadAllText(Path.Combine(run, "run.json")));
        Assert.Contains("Akka", File.ReadAllText(Path.Combine(run, "log.txt"))); // Akka's log events reach the run's log

        (code, stdout, stderr) = Run("eval", run, "--json", "--trials", "40");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var splits = doc.RootElement.GetProperty("splits").EnumerateArray().ToArray();
        Assert.Equal(["test", "ood"], splits.Select(s => s.GetProperty("split").GetString()));
        var test = splits[0];
        var policies = test.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("policy").GetString()).ToArray();
        Assert.Contains("RL²", policies);
        Assert.Contains("Gittins", policies);
        Assert.Equal(5, test.GetProperty("rl2").GetProperty("episodes").GetArrayLength()); // one point per pull of the trial
        // Every policy's adaptation curve (for the report), each summing to its trial score.
        foreach (var result in test.GetProperty("results").EnumerateArray())
        {
            var episodes = result.GetProperty("episodes").EnumerateArray().Select(p => p[0].GetDouble()).ToArray();
            Assert.Equal(5, episodes.Length);
            Assert.Equal(result.GetProperty("mean").GetDouble(), episodes.Sum(), 6);
        }
        Assert.True(File.Exists(Path.Combine(run, "eval.json")));
        Assert.False(doc.RootElement.GetProperty("greedy").GetBoolean());

        (code, stdout, stderr) = Run("eval", run, "--greedy", "--trials", "40");
        Assert.True(code == 0, stderr);
        Assert.Contains("RL² acting greedily", stdout);

        // A second run with the same name refuses to overwrite the first.
        (code, _, stderr) = Run("train", Config(Tiny), "--runs", runs);
        Assert.Equal(2, code);
        Assert.Contains("--overwrite", stderr);
    }

    [Fact]
    public void A_transformer_learner_trains_and_evaluates_under_its_own_name()
    {
        const string json = """
            { "name": "tiny-transformer", "seed": 3, "env": { "name": "tabular-mdp", "states": 3, "actions": 2, "horizon": 4 },
              "episodesPerTrial": 2, "updates": 2, "population": { "agents": 8 },
              "model": { "type": "Transformer", "width": 8, "heads": 2 }, "eval": { "trials": 20 } }
            """;
        var runs = Path.Combine(_dir, "runs");
        var (code, stdout, stderr) = Run("train", Config(json), "--runs", runs);
        Assert.True(code == 0, stderr);
        Assert.Contains("stopped: ran 2 updates", stdout);

        (code, stdout, stderr) = Run("eval", Path.Combine(runs, "tiny-transformer"), "--json", "--trials", "20");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var test = doc.RootElement.GetProperty("splits")[0];
        var policies = test.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("policy").GetString()).ToArray();
        Assert.Equal("Transformer", policies[0]);
        Assert.Contains("PSRL", policies);
        Assert.Equal(2, test.GetProperty("rl2").GetProperty("episodes").GetArrayLength());
    }

    [Theory]
    [InlineData("""{ "env": { "name": "nope" } }""", "env.name")]
    [InlineData("""{ "population": { "agents": 0 } }""", "population.agents")]
    [InlineData("""{ "ppo": { "clip": 2 } }""", "ppo.clip")]
    [InlineData("""{ "ppo": { "clipp": 0.2 } }""", "clipp")]
    [InlineData("""{ "ppo": { "entropyCoefEnd": -1 } }""", "ppo.entropyCoefEnd")]
    [InlineData("""{ "env": { "name": "dark-room" }, "ppo": { "rewardSignal": "Mean" } }""", "ppo.rewardSignal")]
    [InlineData("""{ "env": { "name": "dark-room", "options": { "testFraction": 1 } } }""", "env.options.testFraction = 1")]
    [InlineData("""{ "updates": "many" }""", "updates")]
    [InlineData("""{ "learnerThreads": 0 }""", "learnerThreads = 0")]
    [InlineData("""{ "model": { "type": "Transformer", "width": 64, "heads": 3 } }""", "model.heads")]
    [InlineData("""{ "env": { "name": "tabular-mdp" }, "model": { "type": "Transformer", "context": 50 } }""", "model.context")]
    [InlineData("""{ "model": { "type": "Lstm" } }""", "model.type")]
    [InlineData("""{ "env": """, "not valid JSON")]
    [InlineData("""{ "env": null, "ppo": null }""", "env, ppo: null is not a section")]
    [InlineData("""{ "model": { "hidden": 8 }, "population": { "mode": "Async" }, "persistence": null }""", "persistence: null is not a section")]
    public void A_bad_config_gets_one_line_naming_the_key_and_exit_code_2(string json, string named)
    {
        var (code, stdout, stderr) = Run("train", Config(json), "--runs", Path.Combine(_dir, "runs"));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(named, lines[0], StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string> ShippedConfigs()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MetaRL.sln"))) dir = dir.Parent;
        return new TheoryData<string>(Directory.GetFiles(Path.Combine(dir!.FullName, "config"), "*.json").Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void Every_shipped_config_loads_and_names_its_own_run(string path)
    {
        var config = TrainConfigLoader.Load(path, []);
        Assert.Equal(Path.GetFileNameWithoutExtension(path), config.Name);
        Assert.True(config.MaxMinutes is > 0 and <= 15, "a shipped config keeps within the 15-minute budget on 2 cores");
    }

    [Fact]
    public void A_run_the_budget_stops_says_its_schedules_were_cut_short_and_one_without_schedules_does_not()
    {
        var runs = Path.Combine(_dir, "runs");
        string endless = Tiny.Replace("\"updates\": 2", "\"updates\": 1000000, \"maxMinutes\": 0.1");
        string scheduled = endless.Replace("\"eval\"", "\"ppo\": { \"learningRateSchedule\": \"Linear\", \"entropyCoefEnd\": 0.001 }, \"eval\"");
        var (code, stdout, stderr) = Run("train", Config(scheduled), "--runs", runs);
        Assert.True(code == 0, stderr);
        Assert.Contains("wall-clock budget of 0.1 min spent", stdout);
        var note = Assert.Single(stdout.Split('\n'), l => l.StartsWith("note: "));
        Assert.Contains("the learning rate's linear decay and the entropy bonus's move to 0.001 are planned over all 1000000 updates", note);
        Assert.Matches(@"stopped \d+ % of the way: resuming finishes them", note);

        (code, stdout, stderr) = Run("train", Config(endless), "--runs", runs, "--overwrite");
        Assert.True(code == 0, stderr);
        Assert.Contains("wall-clock budget", stdout);
        Assert.DoesNotContain("note: ", stdout);
    }

    [Fact]
    public void A_model_save_that_fails_mid_run_ends_train_with_one_line_and_a_non_zero_exit()
    {
        // The first export comes at update 10; a folder where the model file should be makes it fail, as a full
        // or read-only disk would (the tests run as root, which no permission stops).
        var runs = Path.Combine(_dir, "runs");
        Directory.CreateDirectory(Path.Combine(runs, "tiny", "model.pt", "in-the-way"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (code, _, stderr) = Run("train", Config(Tiny.Replace("\"updates\": 2", "\"updates\": 40")), "--runs", runs);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(1, code);
        // Besides progress lines ("update k/40 …"), exactly one line: the error, naming the file and the actor.
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines[..^1], l => Assert.StartsWith("update ", l));
        var line = lines[^1];
        Assert.StartsWith("metarl train: the run failed after 9 of 40 updates", line);
        Assert.Contains("model.pt", line);
        Assert.Contains("/user/population (its progress observer)", line);
        Assert.Contains("the population stops", File.ReadAllText(Path.Combine(runs, "tiny", "log.txt")));
    }

    [Fact]
    public void Runs_naming_a_file_is_refused_with_one_line()
    {
        var file = Path.Combine(_dir, "not-a-folder");
        File.WriteAllText(file, "");
        var (code, stdout, stderr) = Run("train", Config(Tiny), "--runs", file);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is a file; it should name the folder that holds run folders", line);
    }

    [Fact]
    public void Eval_of_a_missing_run_says_where_it_looked()
    {
        var (code, _, stderr) = Run("eval", "no-such-run", "--runs", _dir);
        Assert.Equal(2, code);
        Assert.Contains("no run at 'no-such-run'", stderr);
    }
}
