using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace MetaRL.Host.Tests;

/// <summary>
/// Clustered training end to end: seed and nodes are <c>metarl</c> processes on 127.0.0.1, started and killed (SIGKILL)
/// by the tests. One class, so its tests run one after another (each takes both cores).
/// </summary>
[Collection(HeavyTests.Collection)]
public sealed class ClusterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-cluster-").FullName;
    private readonly List<ClusterProcess> _processes = [];

    public void Dispose()
    {
        foreach (var p in _processes) p.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // Bernoulli bandits, k = 5, 10 pulls a trial: learnable to 95 % of Gittins in a few hundred updates.
    private const string Bandits = """
        { "name": "NAME", "seed": 1, "env": { "name": "bernoulli-bandit", "arms": 5 }, "episodesPerTrial": 10, "updates": UPDATES,
          "torchThreads": 1, "population": { "agents": 128, "mode": "Async", "maxPolicyLag": 1 }, "model": { "hidden": 64 },
          "ppo": { "gamma": 0.9, "lambda": 0.3, "entropyCoef": 0.05, "epochs": 2, "minibatches": 4, "learningRate": 0.003,
                   "learningRateSchedule": "Linear", "rewardScale": 0.1 } }
        """;

    private string Config(string name, int updates)
    {
        var path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, Bandits.Replace("NAME", name).Replace("UPDATES", updates.ToString(CultureInfo.InvariantCulture)));
        return path;
    }

    private string Runs => Path.Combine(_dir, "runs");

    private ClusterProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var p = ClusterProcess.Start(environment, args);
        _processes.Add(p);
        return p;
    }

    private ClusterProcess Seed(string config, int port, params string[] more) =>
        Start(null, ["train", config, "--runs", Runs, "--cluster-port", port.ToString(CultureInfo.InvariantCulture), .. more]);

    private ClusterProcess Node(int seedPort, IReadOnlyDictionary<string, string>? environment = null, params string[] more) =>
        Start(environment, ["node", "--seed", $"127.0.0.1:{seedPort}", .. more]);

    /// <summary>metrics.csv's rows so far, as column → value.</summary>
    private List<Dictionary<string, double>> Rows(string run)
    {
        var file = Path.Combine(Runs, run, "metrics.csv");
        if (!File.Exists(file)) return [];
        string[] lines;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
            lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return [];
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(','))
            .Where(cells => cells.Length == header.Length) // the row being written
            .Select(cells => header.Zip(cells).ToDictionary(p => p.Item1, p => p.Item2.Length == 0 ? double.NaN : double.Parse(p.Item2, CultureInfo.InvariantCulture))) // empty: no evaluation on that row
            .ToList();
    }

    private List<Dictionary<string, double>> WaitForRows(string run, Func<List<Dictionary<string, double>>, bool> until, TimeSpan timeout, ClusterProcess seed)
    {
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < timeout; Thread.Sleep(100))
        {
            var rows = Rows(run);
            if (until(rows)) return rows;
            Assert.False(seed.HasExited, $"the seed ended early\nstdout:\n{seed.Out}\nstderr:\n{seed.Err}");
        }
        Assert.Fail($"metrics.csv of {run} did not get there within {timeout.TotalSeconds:0} s ({Rows(run).Count} rows)\nseed stdout:\n{seed.Out}\nstderr:\n{seed.Err}");
        return [];
    }

    [Fact]
    public void Three_nodes_train_bandits_to_95_percent_of_gittins_through_a_node_killed_and_a_node_joining()
    {
        int port = ClusterProcess.FreePort();
        var seed = Seed(Config("three", 900), port, "--min-nodes", "3");
        seed.WaitForLine("seed node", TimeSpan.FromSeconds(60));
        var doomed = Node(port);
        var survivor = Node(port);
        seed.WaitForLine("(3 up)", TimeSpan.FromSeconds(60));

        // kill -9 of a non-seed node mid-training: its agents run again on the survivors, its lost trials are counted.
        var before = WaitForRows("three", r => r.Count >= 150, TimeSpan.FromMinutes(3), seed);
        Assert.All(before, r => Assert.Equal(3, r["nodes"]));
        Assert.True(before[^1]["agents_per_node_min"] > 0, "a node of the three holds no agents");
        doomed.KillHard();
        var killedAt = Stopwatch.StartNew();
        var rehomed = WaitForRows("three", r => r.Count > before.Count && r[^1]["nodes"] == 2
            && r[^1]["agents_per_node_min"] + r[^1]["agents_per_node_max"] == 128, TimeSpan.FromSeconds(60), seed);
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(30), $"the lost node's agents took {killedAt.Elapsed.TotalSeconds:0} s to run again");
        Assert.True(rehomed[^1]["rehomed_agents"] > 0);
        Assert.True(rehomed.Skip(before.Count).Sum(r => r["abandoned_trials"]) > 0, "no trial was counted lost with the node");
        seed.WaitForLine("was downed", TimeSpan.FromSeconds(5));

        // A node that joins mid-run takes shards and acts with the current parameters, not its own initial ones.
        int versionAtJoin = rehomed.Count;
        var joiner = Node(port);
        var acting = joiner.WaitForLine("acting with the learner's update", TimeSpan.FromSeconds(60));
        Assert.True(long.Parse(acting.Split(' ')[^1], CultureInfo.InvariantCulture) >= versionAtJoin, acting);
        var three = WaitForRows("three", r => r[^1]["nodes"] == 3 && r[^1]["agents_per_node_min"] > 0, TimeSpan.FromSeconds(60), seed);
        Assert.True(three[^1]["rehomed_agents"] > rehomed[^1]["rehomed_agents"], "the new node took no agents");

        seed.ExitsCleanly(TimeSpan.FromMinutes(6));
        Assert.Contains("stopped: ran 900 updates", seed.Out);
        survivor.ExitsCleanly(TimeSpan.FromSeconds(30));
        joiner.ExitsCleanly(TimeSpan.FromSeconds(30));
        Assert.Contains("the run ended", joiner.Out);
        var versions = Rows("three").Select(r => r["update"]).ToArray();
        Assert.Equal(Enumerable.Range(1, 900).Select(v => (double)v), versions);

        // Held-out tasks, sampled actions: the learner against Gittins on the same 2,000 tasks.
        var (code, stdout, stderr) = Cli.Run("eval", Path.Combine(Runs, "three"), "--json", "--trials", "2000");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var test = doc.RootElement.GetProperty("splits").EnumerateArray().First(s => s.GetProperty("split").GetString() == "test");
        double Score(string policy) => test.GetProperty("results").EnumerateArray().First(r => r.GetProperty("policy").GetString() == policy).GetProperty("mean").GetDouble();
        Assert.True(Score("RL²") >= 0.95 * Score("Gittins"), $"RL² {Score("RL²"):0.000} vs Gittins {Score("Gittins"):0.000}");
    }

    [Fact]
    public void A_node_with_the_wrong_secret_is_refused_and_nothing_of_the_run_changes()
    {
        int port = ClusterProcess.FreePort();
        var seed = Seed(Config("guarded", 20), port, "--min-nodes", "2", "--set", "cluster.secret=s3cret");
        seed.WaitForLine("seed node", TimeSpan.FromSeconds(60));

        var intruder = Node(port, new Dictionary<string, string> { ["METARL_CLUSTER_SECRET"] = "guess" });
        Assert.Equal(2, intruder.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("secret does not match", intruder.Err);
        Assert.Contains("refused node", seed.WaitForLine("refused node", TimeSpan.FromSeconds(10)));
        var nosecret = Node(port);
        Assert.Equal(2, nosecret.WaitForExit(TimeSpan.FromSeconds(60)));
        // Still one node, still waiting: no training, no rows, and the saved config does not hold the secret.
        Assert.DoesNotContain("(2 up)", seed.Out);
        Assert.Empty(Rows("guarded"));
        Assert.DoesNotContain("s3cret", File.ReadAllText(Path.Combine(Runs, "guarded", "config.json")));

        var member = Node(port, new Dictionary<string, string> { ["METARL_CLUSTER_SECRET"] = "s3cret" });
        seed.ExitsCleanly(TimeSpan.FromMinutes(3));
        Assert.Contains("(2 up)", seed.Out);
        Assert.Contains("stopped: ran 20 updates", seed.Out);
        member.ExitsCleanly(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void When_the_node_holding_the_learner_is_killed_the_learner_resumes_elsewhere_from_its_checkpoint()
    {
        int port = ClusterProcess.FreePort();
        var seed = Seed(Config("failover", 200), port, "--min-nodes", "3", "--no-learner");
        seed.WaitForLine("seed node", TimeSpan.FromSeconds(60));
        // The first node to join is the oldest that may host the learner: it does.
        var holder = Node(port);
        holder.WaitForLine("serves run", TimeSpan.FromSeconds(60));
        var second = Node(port);
        var third = Node(port);
        var before = WaitForRows("failover", r => r.Count >= 40, TimeSpan.FromMinutes(3), seed);
        holder.KillHard();

        seed.ExitsCleanly(TimeSpan.FromMinutes(4));
        Assert.Contains("stopped: ran 200 updates", seed.Out);
        var log = File.ReadAllText(Path.Combine(Runs, "failover", "log.txt"));
        var restarted = log.Split('\n').First(l => l.Contains("the learner started again at update"));
        long resumedAt = long.Parse(restarted.Split("at update ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        // Every update is checkpointed before it is published: the new learner starts where the agents had got to.
        Assert.InRange(resumedAt, before.Count - 1, 200);
        var versions = Rows("failover").Select(r => r["update"]).ToArray();
        Assert.Equal(Enumerable.Range(1, 200).Select(v => (double)v), versions);
        second.ExitsCleanly(TimeSpan.FromSeconds(30));
        third.ExitsCleanly(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Remoting_runs_over_tls_with_a_self_signed_certificate_and_a_node_without_it_cannot_reach_the_seed()
    {
        var pfx = Path.Combine(_dir, "cluster.pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=metarl-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pw"));
        }
        var tls = new Dictionary<string, string> { ["METARL_TLS_PASSWORD"] = "pw" };
        int port = ClusterProcess.FreePort();
        var seed = Start(tls, "train", Config("tls", 10), "--runs", Runs, "--cluster-port", port.ToString(CultureInfo.InvariantCulture),
            "--min-nodes", "2", "--tls-cert", pfx);
        seed.WaitForLine("seed node", TimeSpan.FromSeconds(60));

        var plain = Node(port, null, "--wait", "5");
        Assert.Equal(2, plain.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("no answer from the seed", plain.Err);

        var node = Node(port, tls, "--tls-cert", pfx);
        int code = seed.WaitForExit(TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"the seed exited with {code}: {seed.Out}\n{seed.Err}\nthe node: {node.Out}\n{node.Err}");
        Assert.Contains("stopped: ran 10 updates", seed.Out);
        code = node.WaitForExit(TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"the node exited with {code}: {node.Out}\n{node.Err}");
    }

    /// <summary>The smoke version of <c>metarl load cluster-faults</c> (here, so that it runs apart from the other clusters).</summary>
    [Fact]
    public void Load_cluster_faults_smoke_reports_the_updates_before_during_and_after_a_node_is_killed()
    {
        var report = Path.Combine(_dir, "cluster-faults");
        var (code, stdout, stderr) = Cli.Run("load", "cluster-faults", "--agents", "128", "--duration", "50s", "--report", report, "--threshold", "ok(update)>10");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("cluster-faults: node killed (SIGKILL) at ", stdout);
        var lines = stdout.Split('\n');
        string Note(string phase) => lines.FirstOrDefault(l => l.StartsWith(phase + " (", StringComparison.Ordinal)) ?? $"(no {phase} line)\n{stdout}";
        Assert.Contains("nodes 2–2, 0 trials lost", Note("before"));
        // The lost node's trials are counted (in the row of the update its loss ended), and its agents start again on the seed.
        long Count(string phase, string what)
        {
            var m = System.Text.RegularExpressions.Regex.Match(Note(phase), $@"([0-9,]+) {what}");
            Assert.True(m.Success, $"no '{what}' in: {Note(phase)}");
            return long.Parse(m.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);
        }
        Assert.True(Count("recovery", "trials lost") + Count("after", "trials lost") > 0, stdout);
        Assert.True(Count("after", "agents started again") > 0, stdout);
        Assert.Matches(@"^after \([0-9.]+ s\): [1-9][0-9]* updates, [0-9,]+ agent-steps/s, nodes 1–1", Note("after"));
        var phases = File.ReadAllLines(Path.Combine(report, "load-phases.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.Equal(["before", "recovery", "after"], phases);
        Assert.True(File.Exists(Path.Combine(report, "cluster", "seed.log")));
    }
}
