using Microsoft.Playwright;
using System.Text.Json;

namespace MetaRL.Browser.Tests;

/// <summary>
/// Headless Debian chromium driven by Playwright (its own browser download is not reachable here): the flags keep
/// it from calling out to Google's services, which this machine's closed network refuses. A page records its console
/// errors, uncaught exceptions and every request it makes.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    /// <summary>The chromium to drive: METARL_CHROMIUM, or Debian's.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("METARL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Browser> LaunchAsync()
    {
        Assert.True(File.Exists(Executable), $"chromium is not installed at {Executable}: run scripts/setup.sh (it installs Debian's chromium) or set METARL_CHROMIUM");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new Browser(playwright, browser);
    }

    public async Task<WatchedPage> OpenAsync(string url)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var watched = new WatchedPage(page);
        await page.GotoAsync(url);
        await page.WaitForFunctionAsync("() => window.metarlReport !== undefined");
        return watched;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>A page and what it did: console errors, uncaught exceptions, requests.</summary>
internal sealed class WatchedPage
{
    public WatchedPage(IPage page)
    {
        Page = page;
        page.Console += (_, m) =>
        {
            if (m.Type == "error") lock (Errors) Errors.Add(m.Text);
        };
        page.PageError += (_, e) =>
        {
            lock (Errors) Errors.Add(e);
        };
        page.Request += (_, r) =>
        {
            lock (Requests) Requests.Add(r.Url);
        };
    }

    public IPage Page { get; }

    public List<string> Errors { get; } = [];

    public List<string> Requests { get; } = [];

    /// <summary>Every chart the page drew: its id, kind, points (length of its x data), series labels, legend text and drawn pixels.</summary>
    public async Task<ChartInfo[]> ChartsAsync() => (await Page.EvaluateAsync<System.Text.Json.JsonElement>("""
        () => window.metarlReport.charts.map(c => {
          const canvas = c.uplot.root.querySelector("canvas");
          const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
          let drawn = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn++;
          return {
            id: c.id, kind: c.kind, points: c.uplot.data[0].length,
            series: c.uplot.series.slice(1).map(s => s.label),
            legend: c.uplot.root.querySelector(".u-legend").innerText,
            drawnPixels: drawn,
            lastX: c.uplot.data[0].length ? c.uplot.data[0][c.uplot.data[0].length - 1] : null,
          };
        })
        """)).Deserialize<ChartInfo[]>(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
}

internal sealed record ChartInfo(string Id, string Kind, int Points, string[] Series, string Legend, int DrawnPixels, double? LastX);
