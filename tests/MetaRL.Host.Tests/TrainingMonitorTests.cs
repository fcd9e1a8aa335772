using MetaRL.Actors.Learning;
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
        Assert.Equal(new TrainStop("wall-clock budget of 0 min spent", CountAtEnd: true), stop);
        Assert.Null(stop.Failure);
    }

    [Fact]
    public async Task Without_a_budget_nothing_stops_a_run_but_its_updates()
    {
        using var monitor = new TrainingMonitor(Path.Combine(_dir, "metrics.csv"), updates: 10, budget: null);
        await Assert.ThrowsAsync<TimeoutException>(() => monitor.Finished.WaitAsync(TimeSpan.FromMilliseconds(300)));
    }

    private static UpdateCompleted Row(long version, double score) =>
        new(version, 4, 0, 0, score, 0, 0, 0, 0, false, null, 0, 0.1, []) { Counters = new RunCounters(version * 100, version * 4, 0, 4, version) };

    [Fact]
    public void A_resumed_run_s_csv_is_the_journal_s_rows_up_to_its_checkpoint_then_its_own()
    {
        // The journal holds updates 1–5 (3–5 written after the checkpoint of 2, then lost with the process) and a
        // stale file ends mid-row; resuming at 2, the CSV keeps 1–2 from the journal and appends 3 as it is run again.
        var csv = Path.Combine(_dir, "metrics.csv");
        File.WriteAllText(csv, TrainingMonitor.CsvHeader + "\n1,0.1,100,4\n2,0.2,20");
        var journal = Enumerable.Range(1, 5).ToDictionary(v => (long)v, v => Row(v, v * 10));
        using var monitor = new TrainingMonitor(csv, updates: 10, budget: null, journal);
        monitor.OnStarted(new LearnerStarted(2, journal[2].Counters));
        monitor.OnProgress(new Actors.Population.PopulationProgress(Row(3, 31), 300, 12, 0, 4, TimeSpan.FromSeconds(3)));
        var lines = File.ReadAllLines(csv);
        Assert.Equal(TrainingMonitor.CsvHeader, lines[0]);
        Assert.Equal(["1", "2", "3"], lines[1..].Select(l => l.Split(',')[0]));
        Assert.Equal(TrainingMonitor.Row(journal[2]), lines[2]);
        Assert.Equal("31", lines[3].Split(',')[5]); // the row run again, not the journal's lost one
        Assert.Equal([(1L, 10.0), (2L, 20.0), (3L, 31.0)], monitor.Curve);
    }

    [Fact]
    public async Task A_resumed_run_has_only_what_its_earlier_stretches_left_of_its_budget()
    {
        using var monitor = new TrainingMonitor(Path.Combine(_dir, "metrics.csv"), updates: 10, budget: TimeSpan.FromMinutes(10),
            spentBefore: TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(200));
        var stop = await monitor.Finished.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("wall-clock budget of 10 min spent", stop.Reason);
    }
}
