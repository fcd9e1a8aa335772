using MetaRL.Host.Training;
using Microsoft.Data.Sqlite;

namespace MetaRL.Host.Tests;

/// <summary>
/// Run folders that never lie: every bad case a user met (a broken model file, an edited config, two trains of
/// one name, a stale evaluation, an unwritable result, absurd sizes) ends with one line and the right exit code,
/// and nothing already written is lost.
/// </summary>
public sealed class RunFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-folder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    private const string Tiny = """
        { "name": "tiny", "seed": 2, "env": { "name": "bernoulli-bandit", "arms": 3 }, "episodesPerTrial": 5, "updates": 2,
          "population": { "agents": 8 }, "model": { "hidden": 8 }, "eval": { "trials": 20 } }
        """;

    private string Runs => Path.Combine(_dir, "runs");
    private string RunPath => Path.Combine(Runs, "tiny");

    private string Train(params string[] extra)
    {
        var config = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(config, Tiny);
        var (code, _, stderr) = Run(["train", config, "--runs", Runs, .. extra]);
        Assert.True(code == 0, stderr);
        return RunPath;
    }

    private static string OneLine(string stderr) => Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    private (int Code, string Line) EvalError()
    {
        var (code, stdout, stderr) = Run("eval", RunPath);
        Assert.Equal("", stdout);
        return (code, OneLine(stderr));
    }

    [Fact]
    public void Eval_refuses_an_empty_a_truncated_and_a_bit_flipped_model_with_one_line_naming_the_file()
    {
        var model = Path.Combine(Train(), "model.pt");
        var good = File.ReadAllBytes(model);

        File.WriteAllBytes(model, []);
        var (code, line) = EvalError();
        Assert.Equal((2, $"metarl eval: '{model}' is empty: the model was not written; metarl train --resume writes it again"), (code, line));

        File.WriteAllBytes(model, good[..(good.Length / 2)]);
        (code, line) = EvalError();
        Assert.Equal(2, code);
        Assert.StartsWith($"metarl eval: '{model}' is not a readable model (truncated or corrupted", line);

        // One bit of one weight: the zip's own CRC or our checksum must catch it, never an evaluation of other weights.
        var flipped = (byte[])good.Clone();
        int at = IndexOfData(good) + 13;
        flipped[at] ^= 0x10;
        File.WriteAllBytes(model, flipped);
        (code, line) = EvalError();
        Assert.Equal(2, code);
        Assert.Contains(model, line);
        Assert.Contains("corrupted", line);

        File.WriteAllBytes(model, good);
        Assert.Equal(0, Run("eval", RunPath, "--trials", "5").Code); // the same file, unflipped, evaluates
    }

    /// <summary>Where the first tensor's bytes start: after the zip entry name "archive/data/0" and its local header's end.</summary>
    private static int IndexOfData(byte[] zip)
    {
        var name = "archive/data/0"u8;
        int i = zip.AsSpan().IndexOf(name);
        Assert.True(i > 0);
        return i + name.Length;
    }

    [Fact]
    public void Eval_refuses_non_finite_weights_and_weights_of_another_shape()
    {
        Train();
        var config = TrainConfigLoader.Load(Path.Combine(RunPath, "config.json"), []);
        var model = Path.Combine(RunPath, "model.pt");
        var setup = TrainingSetup.From(config);
        using (var template = setup.NewModel())
        {
            var nan = Enumerable.Repeat(float.NaN, Policies.ParameterVector.Count(template)).ToArray();
            ModelFile.Save(model, template, nan, 2, config);
        }
        var (code, line) = EvalError();
        Assert.Equal(2, code);
        Assert.Matches($"^metarl eval: '{System.Text.RegularExpressions.Regex.Escape(model)}' holds non-finite values in '[a-z_.0-9]+': the model cannot be evaluated$", line);

        // A model of hidden size 16 saved under this run's learning keys (as a file copied from another run would be).
        var wider = config with { Model = config.Model with { Hidden = 16 } };
        using (var template = TrainingSetup.From(wider).NewModel())
            ModelFile.Save(model, template, Policies.ParameterVector.Get(template), 2, config);
        (code, line) = EvalError();
        Assert.Equal(2, code);
        Assert.StartsWith($"metarl eval: '{model}' does not fit the config's model: ", line);
        Assert.Contains("size mismatch", line);
    }

    [Fact]
    public void Eval_refuses_a_config_edited_after_training_and_names_the_keys()
    {
        Train();
        var configFile = Path.Combine(RunPath, "config.json");
        var original = File.ReadAllText(configFile);
        File.WriteAllText(configFile, original.Replace("\"hidden\": 8", "\"hidden\": 16"));
        var (code, line) = EvalError();
        Assert.Equal(2, code);
        Assert.Contains("config.json was edited after training (model.hidden: 8 at training, 16 now)", line);

        // A same-shape edit is refused too: the weights would evaluate, but under a config that did not train them.
        File.WriteAllText(configFile, original.Replace("\"episodesPerTrial\": 5", "\"episodesPerTrial\": 6"));
        (code, line) = EvalError();
        Assert.Equal(2, code);
        Assert.Contains("episodesPerTrial: 5 at training, 6 now", line);

        // Keys that change nothing learned may change.
        File.WriteAllText(configFile, original.Replace("\"trials\": 20", "\"trials\": 7"));
        Assert.Equal(0, Run("eval", RunPath).Code);
        // Nor does the cluster's sharding (a model trained before clusters existed has no cluster keys at all).
        var edited = System.Text.Json.Nodes.JsonNode.Parse(original)!;
        edited["cluster"] = new System.Text.Json.Nodes.JsonObject { ["shards"] = 7 };
        File.WriteAllText(configFile, edited.ToJsonString());
        Assert.Equal(0, Run("eval", RunPath).Code);
    }

    [Fact]
    public void A_second_train_of_a_run_in_use_is_refused_naming_the_process()
    {
        Train();
        var folder = RunFolder.For(Runs, "tiny");
        using (folder.Lock())
        {
            var config = Path.Combine(_dir, "tiny.json");
            File.WriteAllText(config, Tiny);
            var (code, stdout, stderr) = Run("train", config, "--runs", Runs);
            Assert.Equal((2, ""), (code, stdout));
            Assert.Equal($"metarl train: run 'tiny' is in use by process {Environment.ProcessId} (its folder {folder.Path} is locked); wait for it or stop it first",
                OneLine(stderr));
            (code, _, stderr) = Run("train", "--resume", "tiny", "--runs", Runs);
            Assert.Equal(2, code);
            Assert.Contains("is in use by process", stderr);
        }
        Train("--overwrite"); // released: the folder trains again
    }

    [Fact]
    public void Overwrite_removes_everything_of_the_old_run_and_a_run_is_never_replaced_without_it()
    {
        Train();
        var (evalCode, evalOut, _) = Run("eval", RunPath + "/", "--trials", "5", "--json"); // a trailing slash, as shells complete it
        Assert.Equal(0, evalCode);
        using (var json = System.Text.Json.JsonDocument.Parse(evalOut)) Assert.Equal("tiny", json.RootElement.GetProperty("run").GetString());
        Assert.True(File.Exists(Path.Combine(RunPath, "eval.json")));
        var config = Path.Combine(_dir, "tiny.json");
        var (code, _, stderr) = Run("train", config, "--runs", Runs);
        Assert.Equal(2, code);
        Assert.Contains("already holds a run", OneLine(stderr));
        Assert.True(File.Exists(Path.Combine(RunPath, "eval.json")), "a refused train must not touch the run");

        Train("--overwrite");
        Assert.False(File.Exists(Path.Combine(RunPath, "eval.json")), "--overwrite left the old run's evaluation");
        Assert.Equal(["1", "2"], File.ReadAllLines(Path.Combine(RunPath, "metrics.csv")).Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public void Eval_prints_its_results_before_it_tries_to_save_them()
    {
        Train();
        Directory.CreateDirectory(Path.Combine(RunPath, "eval.json.tmp", "in-the-way")); // as an unwritable folder would
        var (code, stdout, stderr) = Run("eval", RunPath, "--trials", "5", "--json");
        Assert.Equal(1, code);
        Assert.Contains("\"splits\"", stdout); // the finished evaluation reached the user
        Assert.StartsWith("metarl eval: the results above could not be saved to ", OneLine(stderr));
    }

    [Theory]
    [InlineData("population.agents=400000000", "population.agents = 400000000: expected a whole number from 1 to 4194304")]
    [InlineData("population.agents=4e8", "population.agents = '4e8' is not valid; expected an integer")]
    [InlineData("model.hidden=2000000000", "model.hidden = 2000000000: expected a whole number from 1 to 16384")]
    [InlineData("model.context=100000000", "model.context = 100000000: expected a whole number from 0 to 65536")]
    [InlineData("env.arms=100000", "env.arms = 100000: expected a whole number up to 1000")]
    [InlineData("eval.trials=2000000", "eval.trials = 2000000: expected a whole number from 1 to 1000000")]
    public void Sizes_past_their_maximum_are_refused_with_one_line_and_no_run_folder(string set, string expected)
    {
        var config = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(config, Tiny);
        var (code, stdout, stderr) = Run("train", config, "--runs", Runs, "--set", set);
        Assert.Equal((2, ""), (code, stdout));
        Assert.Contains(expected, OneLine(stderr));
        Assert.False(Directory.Exists(RunPath), "a refused config left a run folder");
    }

    [Fact]
    public void A_corrupted_newest_checkpoint_is_named_and_the_run_resumes_from_the_one_before()
    {
        // A run of 7 updates, checkpoints at 3, 6 and 7 (the two newest are kept), then set back to "running" as a
        // kill just before its end would leave it, and its newest checkpoint's bytes damaged in the database.
        var config = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(config, Tiny.Replace("\"updates\": 2", "\"updates\": 7, \"checkpointEvery\": 3"));
        var (code, _, stderr) = Run("train", config, "--runs", Runs);
        Assert.True(code == 0, stderr);
        var folder = new RunFolder(RunPath);
        var status = RunStatus.Read(folder)!;
        var finished = File.ReadAllBytes(Path.Combine(RunPath, "model.pt"));
        var metrics = File.ReadAllLines(Path.Combine(RunPath, "metrics.csv"));
        (status with { State = RunStatus.Running, Update = 6 }).Write(folder);
        Assert.Contains("incomplete: update 6 of 7 (the process was killed", Run("runs", "--runs", Runs).Out.Replace("\n", " "));
        (code, _, stderr) = Run("eval", RunPath, "--trials", "5");
        Assert.Equal(0, code);
        Assert.Contains("run tiny is incomplete: update 6 of 7", stderr);

        long newest;
        using (var db = new SqliteConnection($"Data Source={Path.Combine(RunPath, "run.db")};Pooling=False"))
        {
            db.Open();
            using var read = db.CreateCommand();
            read.CommandText = "SELECT max(sequence_number) FROM snapshot";
            newest = (long)read.ExecuteScalar()!;
            using var blob = db.CreateCommand();
            blob.CommandText = "SELECT snapshot FROM snapshot WHERE sequence_number = $n";
            blob.Parameters.AddWithValue("$n", newest);
            var bytes = (byte[])blob.ExecuteScalar()!;
            bytes[bytes.Length / 2] ^= 0x01; // one bit of the trainer's state
            using var damage = db.CreateCommand();
            damage.CommandText = "UPDATE snapshot SET snapshot = $b WHERE sequence_number = $n";
            damage.Parameters.AddWithValue("$b", bytes);
            damage.Parameters.AddWithValue("$n", newest);
            Assert.Equal(1, damage.ExecuteNonQuery());
        }
        (code, var stdout, stderr) = Run("train", "--resume", "tiny", "--runs", Runs);
        Assert.True(code == 0, stderr);
        Assert.Contains($"the checkpoint at journal entry {newest} ", stderr);
        Assert.Contains("cannot be read: its checksum does not match its contents; falling back to the one before it", stderr);
        Assert.Contains("stopped: ran 7 updates; 7 updates (6 before this resume)", stdout);
        // Update 7 run again from checkpoint 6 gives the same weights, and the CSV the same rows (timings aside).
        var tree = (IReadOnlyDictionary<object, object?>)Torch.torch.load(new MemoryStream(finished))!;
        var again = (IReadOnlyDictionary<object, object?>)Torch.torch.load(Path.Combine(RunPath, "model.pt"))!;
        Assert.Equal(((IReadOnlyDictionary<object, object?>)tree["metarl"]!)["sha256"], ((IReadOnlyDictionary<object, object?>)again["metarl"]!)["sha256"]);
        static string Learned(string row) => string.Join(',', row.Split(',').Where((_, i) => i is 0 or 2 or 4 or 5 or 6 or 7 or 8));
        Assert.Equal(metrics.Select(Learned), File.ReadAllLines(Path.Combine(RunPath, "metrics.csv")).Select(Learned));
    }

    [Fact]
    public void A_database_password_is_never_written_into_the_run_s_config_and_comes_from_the_environment()
    {
        var config = new TrainConfig
        {
            Persistence = new PersistenceConfig
            {
                Provider = PersistenceConfig.PostgreSql,
                ConnectionString = "Host=db;Port=5432;Database=metarl;Username=metarl;Password=hunter2",
                PasswordVariable = "METARL_TEST_SECRET_" + Guid.NewGuid().ToString("N"),
            },
        };
        var saved = RunPersistence.WithoutSecrets(config);
        Assert.DoesNotContain("hunter2", TrainConfigLoader.ToJson(saved));
        Assert.Contains("Username=metarl", saved.Persistence.ConnectionString);
        Assert.DoesNotContain("Password", RunPersistence.ConnectionString(saved.Persistence)); // no variable set: none
        Environment.SetEnvironmentVariable(saved.Persistence.PasswordVariable, "from-env");
        try
        {
            Assert.Contains("Password=from-env", RunPersistence.ConnectionString(saved.Persistence));
            Assert.Contains("Password=hunter2", RunPersistence.ConnectionString(config.Persistence)); // one in the string wins
        }
        finally
        {
            Environment.SetEnvironmentVariable(saved.Persistence.PasswordVariable, null);
        }
    }
}
