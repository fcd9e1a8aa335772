using System.Net;
using System.Net.Sockets;
using MetaRL.Actors.Cluster;
using MetaRL.Host.Reports;
using MetaRL.Host.Training;

namespace MetaRL.Host.Tests;

/// <summary>
/// The live dashboard's server without a browser: the page holds the rows so far, the event stream replays the rows
/// after the page's last and then each new one, the cluster's nodes, and the run's end; and its options on the command line.
/// </summary>
public sealed class DashboardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-dashboard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_stream_replays_rows_after_the_pages_last_then_streams_new_rows_nodes_and_the_end()
    {
        var run = new RunFolder(Path.Combine(_dir, "live"));
        Directory.CreateDirectory(run.Path);
        File.WriteAllText(run.ConfigFile, """{ "name": "live" }""");
        string header = TrainingMonitor.HeaderOf([], clustered: true);
        await using var dashboard = await Dashboard.StartAsync(run, header, "127.0.0.1", 0);
        dashboard.Row("1,a", null);
        dashboard.Row("2,b", null);
        using var http = new HttpClient { BaseAddress = new Uri(dashboard.Address), Timeout = TimeSpan.FromSeconds(20) };

        var page = await http.GetStringAsync("/");
        Assert.Contains("connect-src 'self'", page);
        Assert.Contains(@"\n1,a\n2,b", page); // metrics.csv so far, header first, in the page's data

        using var stream = new StreamReader(await http.GetStreamAsync("/events?after=1"));
        Assert.Equal(["event: row", "data: 2,b", ""], await Lines(stream, 3));
        dashboard.Row("3,c", new ClusterShape(2, 10, 12, 0, 0, 0) { PerNode = [new NodeShape("akka.tcp://metarl@127.0.0.1:1", 10, 9.5)] });
        Assert.Equal(["event: row", "data: 3,c", "", "event: nodes", """data: [{"node":"akka.tcp://metarl@127.0.0.1:1","agents":10,"meanBatch":9.5}]""", ""],
            await Lines(stream, 6));
        dashboard.End("stopped: ran 3 updates");
        Assert.Equal(["event: end", "data: stopped: ran 3 updates", ""], await Lines(stream, 3));
        Assert.Null(await stream.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10))); // the stream ends with the run

        // A page that connects after the end is told at once.
        using var late = new StreamReader(await http.GetStreamAsync("/events?after=3"));
        Assert.Contains("event: end", await late.ReadToEndAsync());
    }

    private static async Task<string[]> Lines(StreamReader reader, int count)
    {
        var lines = new string[count];
        for (int i = 0; i < count; i++) lines[i] = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) ?? "<end of stream>";
        return lines;
    }

    [Fact]
    public void Bad_dashboard_options_are_one_line_and_exit_2_before_the_run_folder_is_made()
    {
        var config = Path.Combine(_dir, "c.json");
        File.WriteAllText(config, """{ "name": "never", "env": { "name": "bernoulli-bandit", "arms": 3 }, "updates": 1 }""");
        var runs = Path.Combine(_dir, "runs");
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int port = ((IPEndPoint)busy.LocalEndpoint).Port;
        foreach (var (args, expected) in new (string[], string)[]
        {
            (["--dashboard", "70000"], "--dashboard 70000: expected a port from 0 to 65535"),
            (["--dashboard-host", "0.0.0.0"], "--dashboard-host needs --dashboard"),
            (["--dashboard", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], $"--dashboard: cannot listen on 127.0.0.1:{port}"),
        })
        {
            var (code, stdout, stderr) = Cli.Run(["train", config, "--runs", runs, .. args]);
            Assert.Equal(2, code);
            Assert.Equal("", stdout);
            Assert.Contains(expected, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }
        // The option before the config would take the config for its port: the line says how to write it.
        var misplaced = Cli.Run("train", "--dashboard", config, "--runs", runs);
        Assert.Equal(2, misplaced.Code);
        Assert.Contains($"--dashboard takes a port, not '{config}'; put the config first", misplaced.Err);
        Assert.False(Directory.Exists(Path.Combine(runs, "never")));
    }
}
