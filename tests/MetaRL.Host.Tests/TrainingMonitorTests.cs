using MetaRL.Host.Training;

namespace MetaRL.Host.Tests;

/// <summary>The training monitor ends a run on its own clock, not only when an update arrives.</summary>
public sealed class TrainingMonitorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-monitor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_wall_clock_budget_stops_a_run_whose_updates_never_arrive()
    {
        using var monitor = new TrainingMonitor(Path.Combine(_dir, "metrics.csv"), updates: 10, budget: TimeSpan.FromMilliseconds(200));
        var stop = await monitor.Finished.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("wall-clock budget of 0 min spent after 0 updates", stop.Reason);
        Assert.Null(stop.Failure);
    }

    [Fact]
    public async Task Without_a_budget_nothing_stops_a_run_but_its_updates()
    {
        using var monitor = new TrainingMonitor(Path.Combine(_dir, "metrics.csv"), updates: 10, budget: null);
        await Assert.ThrowsAsync<TimeoutException>(() => monitor.Finished.WaitAsync(TimeSpan.FromMilliseconds(300)));
    }
}
