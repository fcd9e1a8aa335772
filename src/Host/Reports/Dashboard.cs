using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MetaRL.Actors.Cluster;
using MetaRL.Host.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaRL.Host.Reports;

/// <summary>
/// The live dashboard of <c>metarl train --dashboard</c>: Kestrel serves the report's page (<see cref="ReportPage"/>) with
/// the rows of metrics.csv so far, and <c>/events</c> streams every later row as a server-sent event, with each
/// cluster node's agents and batch size, and the run's end. Training never waits for it: a row is queued for each
/// connected page and written by that page's own request, so a slow or closed browser changes nothing but itself.
/// </summary>
internal sealed class Dashboard : IMetricsSink, IAsyncDisposable
{
    /// <summary>How many events a page may fall behind before its oldest are dropped (the page then misses rows, not the run).</summary>
    private const int Backlog = 100_000;

    private readonly RunFolder _run;
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<string> _rows = [];
    private readonly List<Channel<string>> _pages = [];
    private string _header;
    private string? _nodes;
    private string? _end;

    private Dashboard(RunFolder run, string header, WebApplication app)
    {
        _run = run;
        _header = header;
        _app = app;
    }

    /// <summary>The page's address, e.g. http://127.0.0.1:8765/.</summary>
    public string Address { get; private set; } = "";

    /// <param name="header">metrics.csv's header (<see cref="TrainingMonitor.HeaderOf"/>), so that a page opened before the first update has its columns.</param>
    /// <param name="port">0: any free port (<see cref="Address"/> says which).</param>
    public static async Task<Dashboard> StartAsync(RunFolder run, string header, string host, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        var address = IPAddress.TryParse(host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(host)).First();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        var app = builder.Build();
        var dashboard = new Dashboard(run, header, app);
        app.MapGet("/", () => Results.Content(dashboard.Page(), "text/html; charset=utf-8"));
        app.MapGet("/events", dashboard.StreamAsync);
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        dashboard.Address = $"http://{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{bound.Port}/";
        return dashboard;
    }

    public void Header(string header)
    {
        lock (_gate)
        {
            if (header == _header) return;
            // Not expected (the header is known from the config); the pages' columns would no longer match.
            _header = header;
            _rows.Clear();
        }
    }

    public void Row(string row, ClusterShape? cluster)
    {
        lock (_gate)
        {
            _rows.Add(row);
            Send(Event("row", row));
            if (cluster is { PerNode.Count: > 0 })
            {
                _nodes = JsonSerializer.Serialize(cluster.PerNode.Select(n => new { node = n.Node, agents = n.Agents, meanBatch = n.MeanBatch }));
                Send(Event("nodes", _nodes));
            }
        }
    }

    /// <summary>Tells every page that the run ended, and why; pages that connect later are told at once.</summary>
    public void End(string reason)
    {
        lock (_gate)
        {
            _end = reason;
            Send(Event("end", reason));
            foreach (var page in _pages) page.Writer.TryComplete();
        }
    }

    private string Page()
    {
        string metrics;
        lock (_gate) metrics = string.Join('\n', _rows.Prepend(_header));
        return ReportPage.Render($"MetaRL dashboard: {_run.Name}", [RunReport.Live(_run, metrics)], eventsUrl: "events");
    }

    /// <summary>One page's event stream: the rows after the page's last (<c>?after=</c>), then every new one as it lands.</summary>
    private async Task StreamAsync(HttpContext context)
    {
        long after = long.TryParse(context.Request.Query["after"], out long a) ? a : 0;
        var page = Channel.CreateBounded<string>(new BoundedChannelOptions(Backlog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            foreach (var row in _rows)
                if (long.TryParse(row.AsSpan(0, Math.Max(0, row.IndexOf(','))), out long update) && update > after)
                    page.Writer.TryWrite(Event("row", row));
            if (_nodes is not null) page.Writer.TryWrite(Event("nodes", _nodes));
            if (_end is not null)
            {
                page.Writer.TryWrite(Event("end", _end));
                page.Writer.TryComplete();
            }
            else _pages.Add(page);
        }
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        try
        {
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await foreach (var message in page.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync(message, context.RequestAborted);
                if (page.Reader.Count == 0) await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
        finally
        {
            lock (_gate) _pages.Remove(page);
        }
    }

    private void Send(string message)
    {
        foreach (var page in _pages) page.Writer.TryWrite(message);
    }

    private static string Event(string name, string data)
    {
        var e = new StringBuilder().Append("event: ").Append(name).Append('\n');
        foreach (var line in data.Split('\n')) e.Append("data: ").Append(line).Append('\n');
        return e.Append('\n').ToString();
    }

    public async ValueTask DisposeAsync()
    {
        // A moment for the pages to receive the end; then the server stops whatever is still open.
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
    }
}
