namespace MetaRL.Host.Tests;

/// <summary><c>metarl load</c>: a short real load on a batcher, its reports, thresholds that fail it, and bad input.</summary>
public sealed class LoadCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_short_load_reports_the_act_step_and_an_impossible_threshold_fails_the_run()
    {
        var report = Path.Combine(_dir, "report");
        var (code, stdout, stderr) = Cli.Run("load", "ramp", "--agents", "64", "--duration", "2s", "--report", report,
            "--threshold", "failed=0", "--threshold", "p99(act)<0.001ms");
        Assert.True(code == 1, $"exit {code}: {stdout}{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("load ramp: ramping to 64 agents over 1 s, then 64 agents for 1 s", lines[0]);
        Assert.StartsWith("thresholds: 1 passed (failed=0: failed = 0); 1 FAILED (p99(act)<0.001ms: p99(act) = ", lines[^1]);
        var csv = File.ReadAllLines(Path.Combine(report, "load.csv"));
        var act = csv[1].Split(',');
        Assert.Equal(["ramp", "act"], act[..2]);
        long count = long.Parse(act[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(count > 64, $"only {count} act requests in 2 s");
        Assert.Equal(act[2], act[3]); // all ok
        Assert.Contains("| act |", File.ReadAllText(Path.Combine(report, "load.md")));
        var timeline = File.ReadAllLines(Path.Combine(report, "load-timeline.csv"));
        Assert.True(timeline.Length >= 2, "no sample over time in 2 s at one a second");
        Assert.Equal(count, timeline.Skip(1).Sum(l => long.Parse(l.Split(',')[5], System.Globalization.CultureInfo.InvariantCulture)));

        (code, stdout, stderr) = Cli.Run("load", "steady", "--agents", "16", "--duration", "1s", "--threshold", "failed=0", "--threshold", "ok(act)>0");
        Assert.True(code == 0, stdout + stderr);
        Assert.StartsWith("thresholds: 2 passed", stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.DoesNotContain("[INFO]", stdout);
    }

    [Theory]
    [InlineData("soak-forever", "no scenario 'soak-forever'; expected one of: ramp, steady")]
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
}
