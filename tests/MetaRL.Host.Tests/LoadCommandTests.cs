namespace MetaRL.Host.Tests;

/// <summary>
/// <c>metarl load</c>: short real loads of every shipped scenario (the CI's smoke versions; the full ones are benchmarks
/// in the README), their reports, thresholds that fail them, and bad input. One class: they run one after another.
/// (cluster-faults' smoke test is in <see cref="ClusterTests"/>, beside the other clusters.)
/// </summary>
[Collection(HeavyTests.Collection)]
public sealed class LoadCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_short_load_reports_the_act_step_and_an_impossible_threshold_fails_the_run()
    {
        var report = Path.Combine(_dir, "report");
        var (code, stdout, stderr) = Cli.Run("load", "ramp", "--agents", "64", "--duration", "3s", "--report", report,
            "--threshold", "failed=0", "--threshold", "p99(act)<0.001ms");
        Assert.True(code == 1, $"exit {code}: {stdout}{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("load ramp: ramping to 64 agents over 2 s, then 64 agents for 1 s", lines[0]);
        Assert.StartsWith("thresholds: 1 passed (failed=0: failed = 0); 1 FAILED (p99(act)<0.001ms: p99(act) = ", lines[^1]);
        var csv = File.ReadAllLines(Path.Combine(report, "load.csv"));
        var act = csv[1].Split(',');
        Assert.Equal(["ramp", "act"], act[..2]);
        long count = long.Parse(act[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(count > 64, $"only {count} act requests in 3 s");
        Assert.Contains("| hold | act |", File.ReadAllText(Path.Combine(report, "load.md"))); // the figures at full load, apart
        Assert.Equal(act[2], act[3]); // all ok
        Assert.Contains("| act |", File.ReadAllText(Path.Combine(report, "load.md")));
        var timeline = File.ReadAllLines(Path.Combine(report, "load-timeline.csv"));
        Assert.True(timeline.Length >= 2, "no sample over time in 3 s at one a second");
        Assert.Equal(count, timeline.Skip(1).Where(l => l.Split(',')[4] == "act").Sum(l => long.Parse(l.Split(',')[5], System.Globalization.CultureInfo.InvariantCulture)));

        (code, stdout, stderr) = Cli.Run("load", "steady", "--agents", "16", "--duration", "1s", "--threshold", "failed=0", "--threshold", "ok(act)>0");
        Assert.True(code == 0, stdout + stderr);
        Assert.StartsWith("thresholds: 2 passed", stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.DoesNotContain("[INFO]", stdout);
    }

    [Theory]
    [InlineData("soak-forever", "no scenario 'soak-forever'; expected one of: ramp, steady, inject, million, soak, faults, cluster-faults")]
    [InlineData("inject --rate 0", "--rate 0: expected 1 to 1000000 agents a second")]
    [InlineData("soak --threshold drift(resident)<5ms", "--threshold 'drift(resident)<5ms': a drift is checked in percent of a series")]
    [InlineData("steady --trials-per-update 0", "--trials-per-update 0: expected 1 or more")]
    [InlineData("ramp --duration 0s", "--duration '0s': expected a time from 1 s to 7 days")]
    [InlineData("ramp --agents 0", "--agents 0: expected a whole number")]
    [InlineData("ramp --threshold p99(act)<5", "--threshold 'p99(act)<5': a latency needs a unit")]
    [InlineData("ramp --batchers 9 --agents 4", "--batchers 9: expected 1 to --agents (4)")]
    public void Bad_input_is_one_line_and_exit_2(string args, string expected)
    {
        var (code, stdout, stderr) = Cli.Run(["load", .. args.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"metarl load: {expected}", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries))[..($"metarl load: {expected}".Length)]);
    }

    /// <summary>The report's CSV of one kind as rows of column → text.</summary>
    private static List<Dictionary<string, string>> Csv(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(','), (h, c) => (h, c)).ToDictionary(p => p.h, p => p.c)).ToList();
    }

    private static long Long(string text) => long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static double Double(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void With_the_learner_trials_reach_it_updates_are_made_and_every_batcher_loads_each_version()
    {
        var report = Path.Combine(_dir, "steady");
        var (code, stdout, stderr) = Cli.Run("load", "steady", "--agents", "128", "--batchers", "2", "--duration", "10s", "--trials-per-update", "64", "--report", report,
            "--threshold", "ok(update)>0", "--threshold", "failed(params)=0");
        Assert.True(code == 0, stdout + stderr);
        var steps = Csv(Path.Combine(report, "load.csv")).ToDictionary(r => r["step"]);
        Assert.Equal(["act", "env", "params", "trial", "update"], steps.Keys.Order());
        long updates = Long(steps["update"]["ok"]);
        Assert.True(updates >= 2, $"{updates} updates in 10 s of 128 agents at 64 trials an update");
        // Each version's parameters were found loaded by both batchers (the last update's checks may end with the load).
        Assert.InRange(Long(steps["params"]["ok"]), 2 * (updates - 1), 2 * updates);
        // The trials the learner trained on, and those it dropped as stale, are the trial step's ok and failed.
        Assert.Contains($"learner: {updates:N0} updates (0 skipped as not finite), {Long(steps["trial"]["ok"]):N0} trials trained on", stdout);
        Assert.True(Long(steps["trial"]["ok"]) >= 64 * updates - 64, $"{steps["trial"]["ok"]} trials answered for {updates} updates");
        Assert.Equal(steps["act"]["count"], steps["env"]["count"]);
        Assert.Contains("first round: every one of the 128 agents had its first reply", stdout);
        var timeline = Csv(Path.Combine(report, "load-timeline.csv"));
        Assert.Equal(updates, timeline.Max(r => Double(r["updates"])), 1.0);
        // A leak of tensors per step or per update would show here within seconds: an update holds a few hundred at most.
        Assert.True(timeline.Max(r => Double(r["live_tensors"])) < 5000, $"live tensors up to {timeline.Max(r => Double(r["live_tensors"]))}");
    }

    [Fact]
    public void Inject_starts_agents_on_schedule_whatever_is_still_running_and_turns_away_those_beyond_the_population()
    {
        var (code, stdout, stderr) = Cli.Run("load", "inject", "--agents", "100", "--rate", "400", "--duration", "8s", "--no-learner", "--threshold", "ok(act)>0");
        Assert.True(code == 0, stdout + stderr);
        // Ramping to 400 a second over 2 s (400 agents), then 400 a second for 6 s (2,400): the open model starts them all.
        var started = System.Text.RegularExpressions.Regex.Match(stdout, @"## inject: [0-9.]+ s, ([0-9,]+) copies started");
        Assert.True(started.Success, stdout);
        Assert.InRange(Long(started.Groups[1].Value.Replace(",", "")), 2700, 2900);
        // 400 agents a second, each staying for a trial of 100 pulls, is more than 100 at once: the rest are turned away, counted as failed acts.
        var act = stdout.Split('\n').First(l => l.StartsWith("| act |"));
        Assert.NotEqual("0", act.Split('|')[4].Trim());
    }

    [Fact]
    public void Million_smoke_every_agent_gets_its_first_reply_and_memory_is_reported()
    {
        var report = Path.Combine(_dir, "million");
        var (code, stdout, stderr) = Cli.Run("load", "million", "--agents", "50000", "--duration", "15s", "--report", report);
        Assert.True(code == 0, stdout + stderr);
        Assert.Matches(@"first round: every one of the 50,000 agents had its first reply [0-9.]+ s after the first request", stdout);
        Assert.Matches(@"peak resident memory: [0-9,]+ MB", stdout);
        var timeline = Csv(Path.Combine(report, "load-timeline.csv"));
        Assert.Equal(50000, timeline.Max(r => Double(r["agents_acted"])));
        Assert.Equal(50000, timeline.Max(r => Long(r["copies"])));
    }

    [Fact]
    public void Soak_smoke_samples_memory_tensors_and_throughput_and_reports_their_drift_after_the_warm_up()
    {
        var report = Path.Combine(_dir, "soak");
        var (code, stdout, stderr) = Cli.Run("load", "soak", "--agents", "1000", "--duration", "40s", "--sample-every", "1s", "--report", report,
            "--threshold", "drift(live_tensors)<1000000%", "--threshold", "drift(gpu)<5%");
        Assert.True(code == 1, stdout + stderr); // drift(gpu): no such series
        Assert.Contains("### drift after the warm-up (7 s)", stdout);
        foreach (var series in new[] { "resident memory (MB)", "managed heap (MB)", "live_tensors", "act (RPS)" })
            Assert.Contains($"| {series} |", stdout);
        Assert.EndsWith("1 FAILED (drift(gpu)<5%: no drift of 'gpu' (a series: resident, heap, a gauge or a step, over 8 samples or more after the warm-up))",
            stdout.TrimEnd().Split('\n')[^1]);
        Assert.StartsWith("thresholds: 1 passed (drift(live_tensors)<1000000%: drift(live_tensors) = ", stdout.TrimEnd().Split('\n')[^1]);
        var timeline = Csv(Path.Combine(report, "load-timeline.csv"));
        Assert.True(timeline.Select(r => r["seconds"]).Distinct().Count() >= 38, "fewer than one sample a second");
    }

    [Fact]
    public void Faults_smoke_each_fault_is_counted_in_its_phase_and_the_load_goes_on()
    {
        var report = Path.Combine(_dir, "faults");
        var (code, stdout, stderr) = Cli.Run("load", "faults", "--agents", "256", "--duration", "36s", "--trials-per-update", "64", "--report", report,
            "--threshold", "failed(act)=0");
        Assert.True(code == 0, stdout + stderr); // no act request was lost, a batcher's restart included
        var phases = Csv(Path.Combine(report, "load-phases.csv"));
        string Cell(string phase, string step, string column) => phases.FirstOrDefault(r => r["phase"] == phase && r["step"] == step)?[column] ?? "0";
        Assert.Equal(["clean 1", "envs throw", "clean 2", "slow envs", "clean 3", "NaN rewards", "clean 4", "batcher killed", "clean 5"],
            phases.Select(r => r["phase"]).Distinct());
        // Envs throw only in their phase (a call that ends just after it counts in the next), and the agents go on.
        Assert.True(Long(Cell("envs throw", "env", "failed")) > 0, "no env threw");
        Assert.Equal(0, Long(Cell("clean 1", "env", "failed")) + Long(Cell("clean 3", "env", "failed")));
        // A slow env takes 10 ms a step.
        Assert.True(Double(Cell("slow envs", "env", "max_ms")) >= 10, $"slowest env step {Cell("slow envs", "env", "max_ms")} ms");
        Assert.True(Double(Cell("clean 1", "env", "max_ms")) < 10 || Double(Cell("clean 1", "env", "p99_ms")) < 1);
        // One batcher killed and restarted; every phase after it still acts.
        Assert.Contains("batchers restarted: 1 (every agent waiting on one asked again)", stdout);
        Assert.True(Long(Cell("clean 5", "act", "ok")) > 1000, "the load did not go on after the batcher was killed");
        Assert.Matches(@"NaN rewards injected: [1-9]", stdout);
        Assert.Contains("| envs throw |", stdout[stdout.IndexOf("### each fault's effect", StringComparison.Ordinal)..]);
        Assert.Contains("| batcher killed |", stdout[stdout.IndexOf("### each fault's effect", StringComparison.Ordinal)..]);
    }
}
