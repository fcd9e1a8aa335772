using System.Diagnostics;

namespace MetaRL.Browser.Tests;

/// <summary>
/// <c>metarl train --dashboard</c> in chromium: a new point appears within 5 s of each new update, and closing the page
/// changes nothing for the run.
/// </summary>
public sealed class DashboardBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-dashboard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_dashboard_shows_each_new_update_within_5_s_and_the_run_does_not_need_it()
    {
        var config = Path.Combine(_dir, "live.json");
        // Many updates and a 0.4-minute budget: the run is still updating while the page is watched, then ends on its own.
        File.WriteAllText(config, """
            { "name": "live", "seed": 6, "env": { "name": "bernoulli-bandit", "arms": 3 }, "episodesPerTrial": 10, "updates": 100000, "maxMinutes": 0.4,
              "population": { "agents": 64 }, "model": { "hidden": 32 } }
            """);
        var runs = Path.Combine(_dir, "runs");
        var metrics = Path.Combine(runs, "live", "metrics.csv");
        var (cli, exit) = Cli.Start("train", config, "--runs", runs, "--dashboard", "0");
        string? url = null;
        for (var wait = Stopwatch.StartNew(); url is null && wait.Elapsed < TimeSpan.FromSeconds(30) && !exit.IsCompleted; await Task.Delay(50))
            url = cli.Out.Split('\n').FirstOrDefault(l => l.StartsWith("dashboard: ", StringComparison.Ordinal))?.Split(' ')[1];
        Assert.True(url is not null, $"no dashboard address in: {cli.Out}{cli.Err}");

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenAsync(url!);
        for (int seen = 0; seen < 3; seen++)
        {
            // The newest update in metrics.csv now; the page must draw it within 5 s.
            long update = 0;
            for (var wait = Stopwatch.StartNew(); update == 0 && wait.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(20))
                update = LastUpdate(metrics);
            Assert.True(update > 0, "no update was written");
            var clock = Stopwatch.StartNew();
            await page.Page.WaitForFunctionAsync($"() => window.metarlReport.charts[0].uplot.data[0].at(-1) >= {update}", null,
                new() { Timeout = 5000, PollingInterval = 25 });
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"update {update} took {clock.Elapsed.TotalSeconds:0.00} s to appear");
            // Wait for the next update before measuring again.
            for (var wait = Stopwatch.StartNew(); LastUpdate(metrics) <= update && wait.Elapsed < TimeSpan.FromSeconds(10);) await Task.Delay(20);
        }
        var charts = await page.ChartsAsync();
        Assert.Empty(page.Errors);
        var byUpdate = charts.Where(c => c.Kind == "updates" && c.Id != "score-by-time").ToArray();
        Assert.NotEmpty(byUpdate);
        Assert.All(byUpdate, c => Assert.True(c.Points > 0 && c.DrawnPixels > 1000, $"{c.Id}: {c.Points} points"));
        Assert.Equal("running", await page.Page.TextContentAsync(".run .badge"));
        // The tiles show the newest row (read in one go with the chart: both are redrawn in the same frame).
        var both = await page.Page.EvaluateAsync<System.Text.Json.JsonElement>(
            "() => [String(window.metarlReport.charts[0].uplot.data[0].at(-1)), document.querySelector('.tile strong').textContent]");
        Assert.Equal(both[0].GetString(), both[1].GetString()!.Replace(",", ""));

        // Closing the page (and the browser) mid-run: the run goes on to its budget and ends as it would have.
        await page.Page.CloseAsync();
        await browser.DisposeAsync();
        long closedAt = LastUpdate(metrics);
        int code = await exit.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(code == 0, cli.Err);
        Assert.Contains("stopped: wall-clock budget of 0.4 min spent", cli.Out);
        Assert.True(LastUpdate(metrics) > closedAt, "the run stopped updating when the page closed");
        var rows = File.ReadAllLines(metrics).Skip(1).Select(l => long.Parse(l[..l.IndexOf(',')])).ToArray();
        Assert.Equal(Enumerable.Range(1, rows.Length).Select(i => (long)i), rows); // every update once, in order
    }

    private static long LastUpdate(string metrics)
    {
        if (!File.Exists(metrics)) return 0;
        using var stream = new FileStream(metrics, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var lines = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = lines.Length - 1; i >= 1; i--)
            if (lines[i].EndsWith('\r') is false && long.TryParse(lines[i].AsSpan(0, Math.Max(0, lines[i].IndexOf(','))), out long update)
                && lines[i].Split(',').Length == lines[0].Split(',').Length)
                return update;
        return 0;
    }
}
