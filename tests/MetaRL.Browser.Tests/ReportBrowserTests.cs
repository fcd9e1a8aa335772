using System.Text.Json;

namespace MetaRL.Browser.Tests;

/// <summary>
/// <c>metarl report</c> of small real runs, opened in chromium: no console errors, no request beyond the file itself,
/// every chart drawn with a point per update (or per episode of a trial), every baseline named in the legend, several
/// runs overlaid; and the PNG figures.
/// </summary>
public sealed class ReportBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Train(string name, int seed, int updates, int evalEvery = 0)
    {
        var config = Path.Combine(_dir, name + ".json");
        File.WriteAllText(config, $$"""
            { "name": "{{name}}", "seed": {{seed}}, "env": { "name": "bernoulli-bandit", "arms": 3 }, "episodesPerTrial": 6, "updates": {{updates}},
              "population": { "agents": 16 }, "model": { "hidden": 8 }, "eval": { "trials": 60, "every": {{evalEvery}} } }
            """);
        var runs = Path.Combine(_dir, "runs");
        var (code, _, err) = Cli.Run("train", config, "--runs", runs);
        Assert.True(code == 0, err);
        return Path.Combine(runs, name);
    }

    [Fact]
    public async Task A_report_of_a_real_run_draws_every_chart_with_its_points_and_names_every_baseline()
    {
        var run = Train("small", seed: 3, updates: 12, evalEvery: 4);
        var (code, _, err) = Cli.Run("eval", run, "--trials", "60");
        Assert.True(code == 0, err);
        var html = Path.Combine(_dir, "out", "small.html");
        Directory.CreateDirectory(Path.GetDirectoryName(html)!);
        (code, var stdout, err) = Cli.Run("report", run, "--out", html, "--png");
        Assert.True(code == 0, err);
        Assert.Contains(html, stdout);
        int updates = File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length - 1;
        Assert.Equal(12, updates);
        using var eval = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "eval.json")));
        var test = eval.RootElement.GetProperty("splits")[0];
        var policies = test.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("policy").GetString()!).ToArray();
        Assert.Contains("Gittins", policies);

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenAsync(new Uri(html).AbsoluteUri);
        var charts = await page.ChartsAsync();
        Assert.Empty(page.Errors);
        Assert.All(page.Requests, url => Assert.StartsWith("file://", url)); // scripts and styles are inlined: nothing is fetched
        Assert.Equal(["score-by-update", "score-by-time", "entropy", "policy-loss", "value-loss", "approx-kl", "adaptation-eval-test", "adaptation-eval-ood",
            "steps-per-second", "mean-batch", "policy-lag", "faults"], charts.Select(c => c.Id));
        foreach (var c in charts)
        {
            Assert.True(c.DrawnPixels > 2000, $"{c.Id} drew {c.DrawnPixels} pixels");
            Assert.Equal(c.Kind == "episodes" ? 6 : updates, c.Points);
        }
        // The learning curve's legend names the learner's and every baseline's held-out score; so does the adaptation curve's.
        var score = charts.Single(c => c.Id == "score-by-update");
        foreach (var policy in policies) Assert.Contains($"{policy} (held-out", score.Legend);
        Assert.Contains("held-out (eval.every)", score.Legend); // the scores of evaluation during training (updates 4, 8, 12)
        var adaptation = charts.Single(c => c.Id == "adaptation-eval-test");
        Assert.Equal(policies, adaptation.Series.Where(s => !s.EndsWith("s.e.", StringComparison.Ordinal)));
        var status = await page.Page.TextContentAsync(".run .badge");
        Assert.Equal("complete", status);
        Assert.Contains("\"hidden\": 8", await page.Page.TextContentAsync("details pre"));

        foreach (var figure in new[] { "small-learning.png", "small-adaptation.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(_dir, "out", figure));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            Assert.Equal(900, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4))); // IHDR width
            Assert.True(bytes.Length > 20_000, $"{figure} is only {bytes.Length} bytes");
        }
    }

    [Fact]
    public async Task A_run_evaluated_under_a_schedule_gets_the_recovery_curve_of_every_policy()
    {
        var run = Train("switching", seed: 6, updates: 4);
        var (code, _, err) = Cli.Run("eval", run, "--trials", "60", "--schedule", "switch-every:4");
        Assert.True(code == 0, err);
        using var eval = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "eval.json")));
        var results = eval.RootElement.GetProperty("splits")[0].GetProperty("results").EnumerateArray().ToArray();
        int points = results[0].GetProperty("recoveryCurve").GetArrayLength();
        int first = results[0].GetProperty("recoveryCurveFirstOffset").GetInt32();
        var html = Path.Combine(_dir, "switching.html");
        (code, _, err) = Cli.Run("report", run, "--out", html);
        Assert.True(code == 0, err);

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenAsync(new Uri(html).AbsoluteUri);
        var charts = await page.ChartsAsync();
        Assert.Empty(page.Errors);
        var recovery = charts.Where(c => c.Kind == "recovery").ToArray();
        Assert.Equal(["recovery-eval-test", "recovery-eval-ood"], recovery.Select(c => c.Id));
        foreach (var c in recovery)
        {
            Assert.Equal(points, c.Points);
            Assert.True(c.DrawnPixels > 2000, $"{c.Id} drew {c.DrawnPixels} pixels");
            Assert.Equal(first + points - 1, c.LastX);
            foreach (var r in results) Assert.Contains($"{r.GetProperty("policy").GetString()} (median recovery", c.Legend);
        }
        Assert.Contains(results, r => r.GetProperty("policy").GetString() == "Tracking oracle");
    }

    [Fact]
    public async Task Several_runs_are_overlaid_with_a_legend_entry_each_and_an_unevaluated_run_has_no_adaptation_curves()
    {
        var a = Train("alpha", seed: 4, updates: 5);
        var b = Train("beta", seed: 5, updates: 8);
        var html = Path.Combine(_dir, "both.html");
        var (code, _, err) = Cli.Run("report", a, b, "--out", html);
        Assert.True(code == 0, err);
        Assert.Contains("not evaluated yet", err);

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenAsync(new Uri(html).AbsoluteUri);
        var charts = await page.ChartsAsync();
        Assert.Empty(page.Errors);
        Assert.DoesNotContain(charts, c => c.Kind == "episodes");
        var score = charts.Single(c => c.Id == "score-by-update");
        Assert.Equal(["mean trial score · alpha", "mean trial score · beta"], score.Series);
        Assert.Equal(8, score.Points); // the union of both runs' updates
        Assert.Equal(2, await page.Page.Locator(".run").CountAsync());
    }
}
