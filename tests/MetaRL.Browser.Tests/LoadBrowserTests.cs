namespace MetaRL.Browser.Tests;

/// <summary>
/// <c>metarl load --report</c>'s load.html of a short real load with its learner, opened in chromium: no console errors,
/// no request beyond the file, the steps' tables, and every figure over time drawn with a point per sample.
/// </summary>
public sealed class LoadBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-load-page-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_load_page_draws_each_step_memory_copies_and_gauges_over_time()
    {
        var report = Path.Combine(_dir, "report");
        var (code, stdout, err) = Cli.Run("load", "steady", "--agents", "96", "--duration", "8s", "--trials-per-update", "32", "--report", report);
        Assert.True(code == 0, stdout + err);
        var timeline = File.ReadAllLines(Path.Combine(report, "load-timeline.csv"));
        int samples = timeline.Skip(1).Select(l => l.Split(',')[0]).Distinct().Count();
        var steps = timeline.Skip(1).Select(l => l.Split(',')[4]).Distinct().ToArray();
        Assert.Contains("update", steps); // the learner made an update within the load

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenAsync(new Uri(Path.Combine(report, "load.html")).AbsoluteUri);
        var charts = await page.ChartsAsync();
        Assert.Empty(page.Errors);
        Assert.All(page.Requests, url => Assert.StartsWith("file://", url));
        var expected = steps.SelectMany(s => new[] { $"latency-{s}", $"rps-{s}" })
            .Concat(["memory", "copies", "gauge-live_tensors", "gauge-updates", "gauge-batcher_restarts", "gauge-nan_rewards", "gauge-agents_acted"]);
        Assert.Equal(expected, charts.Select(c => c.Id));
        // Every chart draws every sample; the timeline CSV has rows only for samples in which some step completed.
        int points = charts[0].Points;
        Assert.All(charts, c => Assert.Equal(points, c.Points));
        Assert.InRange(points, samples, samples + 3);
        foreach (var id in new[] { "latency-act", "rps-act", "memory", "copies" })
        {
            var chart = charts.Single(c => c.Id == id);
            Assert.True(chart.DrawnPixels > 2000, $"{id} drew {chart.DrawnPixels} pixels");
        }
        var tables = await page.Page.Locator("table.scores caption").AllTextContentsAsync();
        Assert.Equal(["the whole run"], tables);
        Assert.Equal("thresholds: none given", await page.Page.TextContentAsync("p.verdict"));
        Assert.Contains("96 agents", await page.Page.TextContentAsync(".run strong"));
    }
}
