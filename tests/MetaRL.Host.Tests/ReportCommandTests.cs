using MetaRL.Host.Training;

namespace MetaRL.Host.Tests;

/// <summary><c>metarl report</c>'s page (self-contained, data that cannot break out of it) and its bad input: one line, exit 2, nothing written.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A run folder as training leaves it (config, status, metrics), with <paramref name="rows"/> update rows.</summary>
    private string Run(string name, int rows, string? configName = null)
    {
        var run = Path.Combine(_dir, "runs", name);
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "config.json"), $$"""{ "name": {{System.Text.Json.JsonSerializer.Serialize(configName ?? name)}}, "env": { "name": "bernoulli-bandit" } }""");
        File.WriteAllText(Path.Combine(run, "run.json"), """{ "state": "complete", "update": 2, "updates": 2 }""");
        var lines = new List<string> { TrainingMonitor.HeaderOf([], clustered: false) };
        // Held-out scores on even updates, empty cells on the others, as eval.every=2 writes them.
        for (int u = 1; u <= rows; u++) lines.Add($"{u},{u * 0.5},{u * 100},200,{u * 10},{40 + u},-0.01,0.2,1.5,0.001,0,0,0,16,0,0.4," + (u % 2 == 0 ? $"{50 + u},0.3,0.2" : ",,"));
        File.WriteAllLines(Path.Combine(run, "metrics.csv"), lines);
        return run;
    }

    [Fact]
    public void The_page_inlines_everything_and_the_data_cannot_close_its_script_element()
    {
        var run = Run("plain", 3, configName: "</script><script>alert(1)</script>");
        var (code, stdout, stderr) = Cli.Run("report", run);
        Assert.True(code == 0, stderr);
        var file = Path.Combine(run, "report.html");
        Assert.Contains($"report of plain (3 updates): {file}", stdout);
        Assert.Contains("not evaluated yet", stderr);
        var html = File.ReadAllText(file);
        Assert.Equal(2, html.Split("<script").Length - 1); // the data element and the inlined bundle: no <script src=…>
        Assert.DoesNotContain("src=", html.Split("<script type=\"application/json\"")[0]);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("connect-src 'none'", html); // a report reaches nothing
        Assert.Contains("uPlot", html);
        Assert.False(File.Exists(file + ".tmp"));
    }

    [Fact]
    public void A_killed_run_is_reported_incomplete_with_how_to_resume_it()
    {
        var run = Run("killed", 2);
        File.WriteAllText(Path.Combine(run, "run.json"), """{ "state": "running", "update": 2, "updates": 10 }""");
        var (code, _, stderr) = Cli.Run("report", run);
        Assert.True(code == 0, stderr);
        var html = File.ReadAllText(Path.Combine(run, "report.html"));
        const string open = "<script type=\"application/json\" id=\"metarl-data\">";
        int start = html.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var data = System.Text.Json.Nodes.JsonNode.Parse(html[start..html.IndexOf("</script>", start, StringComparison.Ordinal)])!;
        var report = data["runs"]![0]!;
        Assert.Equal("incomplete", (string?)report["state"]); // its run.json says running, but no process holds the run
        Assert.Contains("the process was killed; metarl train --resume continues it", (string?)report["description"]);
        Assert.Null(data["live"]);
    }

    [Fact]
    public void Bad_input_is_one_line_and_exit_2_and_writes_nothing()
    {
        var good = Run("good", 2);
        Run("header-only", 0);
        var noMetrics = Run("no-metrics", 1);
        File.Delete(Path.Combine(noMetrics, "metrics.csv"));
        var runs = Path.Combine(_dir, "runs");
        var blocker = Path.Combine(_dir, "a-file");
        File.WriteAllText(blocker, "");
        foreach (var (args, expected) in new (string[], string)[]
        {
            (["report", "missing", "--runs", runs], "no run at 'missing'"),
            (["report", "header-only", "--runs", runs], "run header-only has no metrics yet"),
            (["report", "no-metrics", "--runs", runs], "run no-metrics has no metrics yet"),
            (["report", "good", "good", "--runs", runs], "run good is named twice"),
            (["report", good, "--out", Path.Combine(_dir, "nowhere", "r.html")], "cannot write --out"),
            (["report", good, "--out", _dir], "cannot write --out"),
            (["report", good, "--out", Path.Combine(blocker, "r.html")], "cannot write --out"),
        })
        {
            var (code, stdout, stderr) = Cli.Run(args);
            Assert.Equal(2, code);
            Assert.Equal("", stdout);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("metarl report: ", line);
            Assert.Contains(expected, line);
        }
        Assert.False(File.Exists(Path.Combine(good, "report.html")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "nowhere")));
    }
}
