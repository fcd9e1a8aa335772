using System.Diagnostics;

namespace MetaRL.Host.Tests;

/// <summary>
/// <c>metarl train</c> in a child process, stopped by SIGTERM: it saves a checkpoint and the model, exits with 143, and
/// resumes; <c>metarl load</c> stopped by SIGTERM reports the load so far and exits with 143.
/// </summary>
[Collection(HeavyTests.Collection)]
public sealed class TrainSignalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sigterm_stops_a_run_as_its_budget_would_exits_143_and_leaves_it_resumable()
    {
        var config = Path.Combine(_dir, "long.json");
        File.WriteAllText(config, """
            { "name": "long", "seed": 2, "env": { "name": "bernoulli-bandit", "arms": 3 }, "episodesPerTrial": 5, "updates": 100000,
              "population": { "agents": 8 }, "model": { "hidden": 8 } }
            """);
        var metrics = Path.Combine(_dir, "long", "metrics.csv");
        var first = await TrainUntilSigterm(["train", config, "--runs", _dir], metrics, rowsAtLeast: 3);
        var stopped = System.Text.RegularExpressions.Regex.Match(first, @"stopped: terminated \(SIGTERM\) after (\d+) updates");
        Assert.True(stopped.Success, first);
        long version = long.Parse(stopped.Groups[1].Value);
        Assert.True(File.Exists(Path.Combine(_dir, "long", "model.pt")));
        Assert.Contains("\"state\": \"incomplete\"", File.ReadAllText(Path.Combine(_dir, "long", "run.json")));
        Assert.Equal(version, File.ReadLines(metrics).Count() - 1); // every update up to the checkpoint, and no other

        // The run is resumable: it goes on from the checkpoint SIGTERM saved, and stops again the same way.
        var second = await TrainUntilSigterm(["train", "--resume", "long", "--runs", _dir], metrics, rowsAtLeast: (int)version + 3);
        Assert.Contains($"({version} before this resume)", second);
        var updates = File.ReadLines(metrics).Skip(1).Select(l => long.Parse(l.Split(',')[0])).ToArray();
        Assert.Equal(Enumerable.Range(1, updates.Length).Select(v => (long)v), updates);
    }

    /// <summary>Runs metarl until metrics.csv has the rows asked for, sends SIGTERM, and returns its stdout once it exited with 143.</summary>
    private static async Task<string> TrainUntilSigterm(string[] args, string metrics, int rowsAtLeast)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "metarl.dll"), .. args])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var train = Process.Start(start)!;
        var stdout = train.StandardOutput.ReadToEndAsync();
        var stderr = train.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(metrics) && File.ReadLines(metrics).Count() > rowsAtLeast))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60) && !train.HasExited, "the run never wrote its updates: " + await ErrorIfExited(train, stderr));
            await Task.Delay(100);
        }
        Process.Start("kill", ["-TERM", train.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        Assert.True(train.WaitForExit(TimeSpan.FromSeconds(30)), "the run did not stop within 30 s of SIGTERM");
        Assert.True(train.ExitCode == 143, $"exit {train.ExitCode}: {await stderr}");
        return await stdout;
    }

    [Fact]
    public async Task Sigterm_ends_a_load_early_with_its_report_of_the_load_so_far_and_exit_143()
    {
        var report = Path.Combine(_dir, "load");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "metarl.dll"), "load", "steady", "--agents", "64", "--duration", "10m",
            "--no-learner", "--report", report]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var load = Process.Start(start)!;
        var stderr = load.StandardError.ReadToEndAsync();
        // The first line comes once the load listens for signals (one sent during the runtime's start would be lost).
        var first = await load.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("load steady: 64 agents", first);
        var stdout = load.StandardOutput.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(load.HasExited, await ErrorIfExited(load, stderr));
        // SIGTERM, not SIGINT: a process started in the background by a non-interactive shell (a CI job) ignores SIGINT.
        Process.Start("kill", ["-TERM", load.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        // It ends its copies (10 s of grace at most) and its actor system (20 s at most): on a loaded machine that takes a while.
        Assert.True(load.WaitForExit(TimeSpan.FromSeconds(90)), "the load did not stop within 90 s of SIGTERM");
        Assert.True(load.ExitCode == 143, $"exit {load.ExitCode}: {await stderr}");
        var output = await stdout;
        Assert.Matches(@"interrupted \(SIGTERM\) after [0-9.]+ s: the figures are those of the load so far", output);
        Assert.Contains("| act |", File.ReadAllText(Path.Combine(report, "load.md")));
        Assert.True(File.Exists(Path.Combine(report, "load.html")));
    }

    private static async Task<string> ErrorIfExited(Process p, Task<string> stderr) => p.HasExited ? await stderr : "(still running)";
}
