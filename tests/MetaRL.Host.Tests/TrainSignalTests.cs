using System.Diagnostics;

namespace MetaRL.Host.Tests;

/// <summary><c>metarl train</c> in a child process, stopped by SIGTERM: it saves the weights and exits with 143.</summary>
public sealed class TrainSignalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sigterm_stops_a_run_as_its_budget_would_and_exits_143()
    {
        var config = Path.Combine(_dir, "long.json");
        File.WriteAllText(config, """
            { "name": "long", "seed": 2, "env": { "name": "bernoulli-bandit", "arms": 3 }, "episodesPerTrial": 5, "updates": 100000,
              "population": { "agents": 8 }, "model": { "hidden": 8 } }
            """);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "metarl.dll"), "train", config, "--runs", _dir])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var train = Process.Start(start)!;
        var stdout = train.StandardOutput.ReadToEndAsync();
        var stderr = train.StandardError.ReadToEndAsync();
        var metrics = Path.Combine(_dir, "long", "metrics.csv");
        // Wait, with a deadline, until the run has written a few updates.
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(metrics) && File.ReadLines(metrics).Count() > 3))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60) && !train.HasExited, "the run never wrote its updates");
            await Task.Delay(100);
        }
        Process.Start("kill", ["-TERM", train.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        Assert.True(train.WaitForExit(TimeSpan.FromSeconds(30)), "the run did not stop within 30 s of SIGTERM");
        Assert.Equal(143, train.ExitCode);
        Assert.Contains("stopped: terminated (SIGTERM) after", await stdout);
        Assert.True(File.Exists(Path.Combine(_dir, "long", "model.pt")), await stderr);
        Assert.Contains("\"state\": \"incomplete\"", File.ReadAllText(Path.Combine(_dir, "long", "run.json")));
    }
}
