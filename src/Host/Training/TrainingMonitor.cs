using System.Globalization;
using MetaRL.Actors.Population;

namespace MetaRL.Host.Training;

/// <summary>
/// Why training stopped: a reason for the user, the failure if the population could not go on, and the exit code
/// of a stop asked for by a signal (130 for SIGINT, 143 for SIGTERM, as shells report them).
/// </summary>
internal sealed record TrainStop(string Reason, PopulationFailure? Failure = null, int? SignalExitCode = null);

/// <summary>
/// Watches a training population: appends a CSV row per update to <c>metrics.csv</c>, keeps the latest
/// progress for the console, and completes <see cref="Finished"/> when the update budget is spent, when the
/// wall-clock budget is spent (on its own timer, so a run whose updates stopped arriving still ends), or when
/// the population failed. Called on the population actor's thread; the console reads it from another.
/// </summary>
internal sealed class TrainingMonitor : IPopulationObserver, IDisposable
{
    public const string CsvHeader = "update,seconds,env_steps,steps_per_second,trials,mean_score,policy_loss,value_loss,entropy,approx_kl,mean_policy_lag,dropped_stale,faults,mean_batch,skipped,update_seconds";

    private readonly StreamWriter _csv;
    private readonly int _updates;
    private readonly TaskCompletionSource<TrainStop> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(long Update, double Score)> _curve = [];
    private readonly Timer? _budgetTimer;
    private volatile PopulationProgress? _latest;
    private int _skipped;

    public TrainingMonitor(string csvPath, int updates, TimeSpan? budget)
    {
        _csv = new StreamWriter(csvPath, append: false) { AutoFlush = true };
        _csv.WriteLine(CsvHeader);
        _updates = updates;
        if (budget is { } b)
            _budgetTimer = new Timer(_ => _finished.TrySetResult(new TrainStop(
                $"wall-clock budget of {b.TotalMinutes:0.#} min spent after {_latest?.Update.Version ?? 0} updates")), null, b, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Completes with the reason training stopped.</summary>
    public Task<TrainStop> Finished => _finished.Task;

    public PopulationProgress? Latest => _latest;

    public int Skipped => _skipped;

    /// <summary>(update, mean trial score) for every update so far.</summary>
    public IReadOnlyList<(long Update, double Score)> Curve
    {
        get { lock (_curve) return _curve.ToArray(); }
    }

    /// <summary>Called after every update (after its CSV row is written). An exception here fails the run.</summary>
    public Action<PopulationProgress>? OnUpdated { get; init; }

    public void OnProgress(PopulationProgress p)
    {
        // The population runs on while the system shuts down; updates after the budget are not part of the run.
        if (_finished.Task.IsCompleted) return;
        var u = p.Update;
        if (u.Skipped) Interlocked.Increment(ref _skipped);
        lock (_curve) _curve.Add((u.Version, u.MeanScore));
        double seconds = p.Elapsed.TotalSeconds;
        _csv.WriteLine(string.Join(",", new object[]
        {
            u.Version, F(seconds), p.EnvSteps, F(p.EnvSteps / Math.Max(seconds, 1e-9)), p.Trials, F(u.MeanScore), F(u.PolicyLoss), F(u.ValueLoss),
            F(u.Entropy), F(u.ApproxKl), F(u.MeanPolicyLag), u.DroppedStale, p.Faults, F(p.MeanBatch), u.Skipped ? 1 : 0, F(u.Seconds),
        }.Select(o => Convert.ToString(o, CultureInfo.InvariantCulture))));
        OnUpdated?.Invoke(p);
        _latest = p; // only once it is saved: Latest is what a failure keeps
        if (u.Version >= _updates) _finished.TrySetResult(new TrainStop($"ran {_updates} updates"));
    }

    public void OnFailed(PopulationFailure failure) => _finished.TrySetResult(new TrainStop("the population failed", failure));

    private static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _budgetTimer?.Dispose();
        _csv.Dispose();
    }
}
