using System.Globalization;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Population;

namespace MetaRL.Training;

/// <summary>
/// Why training stopped: a reason for the user, the failure if the population could not go on, and the exit code
/// of a stop asked for by a signal (130 for SIGINT, 143 for SIGTERM, as shells report them).
/// </summary>
/// <paramref name="CountAtEnd"/>: the reason reads "… after N updates" with the count known once the learner has stopped.
internal sealed record TrainStop(string Reason, PopulationFailure? Failure = null, int? SignalExitCode = null, bool CountAtEnd = false);

/// <summary>
/// Watches a training population: writes <c>metrics.csv</c> from the learner's journal (the rows of earlier
/// stretches of a resumed run, up to the checkpoint it resumes from, then a row per update as the journal confirms
/// it), keeps the latest progress for the console, and completes <see cref="Finished"/> when the update budget is
/// spent, when the wall-clock budget is spent (on its own timer, so a run whose updates stopped arriving still
/// ends), or when the population failed. Called on the population actor's thread; the console reads it from another.
/// </summary>
internal sealed class TrainingMonitor : IPopulationObserver, IDisposable
{
    public const string CsvHeader = "update,seconds,env_steps,steps_per_second,trials,mean_score,policy_loss,value_loss,entropy,approx_kl,mean_policy_lag,dropped_stale,faults,mean_batch,skipped,update_seconds,eval_mean,eval_stderr,eval_seconds";

    private readonly string _csvPath;
    private readonly IReadOnlyDictionary<long, UpdateCompleted> _journaled;
    private readonly int _updates;
    private readonly TaskCompletionSource<TrainStop> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<LearnerStarted> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(long Update, double Score)> _curve = [];
    private StreamWriter? _csv;
    private readonly Timer? _budgetTimer;
    private volatile PopulationProgress? _latest;
    private volatile PopulationFailure? _failure;
    private int _skipped;

    /// <param name="journaled">The rows the journal holds from earlier stretches of this run, by version (empty for a new run).</param>
    /// <param name="budget">The run's wall-clock budget, counted from now; a resumed run has what its earlier stretches left of it (<paramref name="spentBefore"/>).</param>
    public TrainingMonitor(string csvPath, int updates, TimeSpan? budget, IReadOnlyDictionary<long, UpdateCompleted>? journaled = null,
        TimeSpan spentBefore = default)
    {
        _csvPath = csvPath;
        _journaled = journaled ?? new Dictionary<long, UpdateCompleted>();
        _updates = updates;
        if (budget is { } b)
        {
            var left = b - spentBefore;
            _budgetTimer = new Timer(_ => _finished.TrySetResult(new TrainStop($"wall-clock budget of {b.TotalMinutes:0.#} min spent", CountAtEnd: true)),
                null, left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Completes with the reason training stopped.</summary>
    public Task<TrainStop> Finished => _finished.Task;

    /// <summary>Completes when the learner is ready, with the version the run starts from.</summary>
    public Task<LearnerStarted> Started => _started.Task;

    public PopulationProgress? Latest => _latest;

    public int Skipped => _skipped;

    /// <summary>(update, mean trial score) for every update so far, earlier stretches included.</summary>
    public IReadOnlyList<(long Update, double Score)> Curve
    {
        get { lock (_curve) return _curve.ToArray(); }
    }

    /// <summary>The names of the population's groups: metrics.csv gets a <c>score_&lt;name&gt;</c> column for each.</summary>
    public IReadOnlyList<string> GroupNames { get; init; } = [];

    /// <summary>A clustered run: metrics.csv gets <see cref="ClusterHeader"/>'s columns.</summary>
    public bool Clustered { get; init; }

    /// <summary>The columns of a clustered run (after the groups' scores).</summary>
    public const string ClusterHeader = ",nodes,agents_per_node_min,agents_per_node_max,rehomed_agents,abandoned_trials,gradient_seconds,allreduce_seconds,wire_bytes";

    /// <summary>The CSV header: <see cref="CsvHeader"/>, one score column per group, then a clustered run's columns.</summary>
    public string Header => HeaderOf(GroupNames, Clustered);

    /// <summary>The CSV header of a run with these groups, clustered or not (known before the run starts: the dashboard's page has it from the first request).</summary>
    public static string HeaderOf(IReadOnlyList<string> groupNames, bool clustered) =>
        string.Concat([CsvHeader, .. groupNames.Select(g => ",score_" + g), clustered ? ClusterHeader : ""]);

    /// <summary>Sees every line written to metrics.csv (the live dashboard).</summary>
    public IMetricsSink? Sink { get; init; }

    /// <summary>Called after every update (after its CSV row is written). An exception here fails the run.</summary>
    public Action<PopulationProgress>? OnUpdated { get; init; }

    /// <summary>Writes the CSV afresh: the header and the journal's rows up to the version the run starts from, then appends from there.</summary>
    public void OnStarted(LearnerStarted started)
    {
        var tmp = _csvPath + ".tmp";
        using (var csv = new StreamWriter(tmp, append: false))
        {
            csv.WriteLine(Header);
            Sink?.Header(Header);
            foreach (var (version, row) in _journaled.OrderBy(kv => kv.Key))
            {
                if (version > started.Version) break;
                var line = Row(row, Clustered);
                csv.WriteLine(line);
                Sink?.Row(line, row.Cluster);
                if (row.Skipped) _skipped++;
                lock (_curve) _curve.Add((version, row.MeanScore));
            }
        }
        File.Move(tmp, _csvPath, overwrite: true);
        _csv = new StreamWriter(_csvPath, append: true) { AutoFlush = true };
        _started.TrySetResult(started);
        if (started.Version >= _updates) _finished.TrySetResult(new TrainStop($"ran {_updates} updates"));
    }

    /// <summary>
    /// Writes the update's row. Rows keep coming for a moment after <see cref="Finished"/>: the learner stops
    /// updating only when it is asked for its last checkpoint, and the updates until then are part of the run.
    /// </summary>
    public void OnProgress(PopulationProgress p)
    {
        var u = p.Update;
        // A clustered run's learner that moved to another node resumes from its last checkpoint and may make again an
        // update whose row was already written: the journal keeps the later row, metrics.csv the first.
        if (_latest is { } before && u.Version <= before.Update.Version) return;
        if (u.Skipped) Interlocked.Increment(ref _skipped);
        lock (_curve) _curve.Add((u.Version, u.MeanScore));
        var line = Row(u, Clustered);
        _csv!.WriteLine(line);
        Sink?.Row(line, u.Cluster);
        OnUpdated?.Invoke(p);
        _latest = p; // only once it is saved: Latest is what a failure keeps
        if (u.Version >= _updates) _finished.TrySetResult(new TrainStop($"ran {_updates} updates"));
    }

    /// <summary>The population's failure, kept even when it came after the run had begun to stop (while its last checkpoint was being made).</summary>
    public PopulationFailure? Failure => _failure;

    public void OnFailed(PopulationFailure failure)
    {
        _failure = failure;
        _finished.TrySetResult(new TrainStop("the population failed", failure));
    }

    /// <summary>One CSV row of an update, from its journal entry (counters included), with its groups' scores, then (<paramref name="clustered"/>) the cluster's columns.</summary>
    public static string Row(UpdateCompleted u, bool clustered = false)
    {
        var c = u.Counters;
        var k = u.Cluster ?? Actors.Cluster.ClusterShape.None;
        object[] eval = u.Eval is { } e ? [F(e.Mean), F(e.Stderr), F(e.Seconds)] : ["", "", ""]; // empty on rows without an evaluation
        object[] cluster = clustered
            ? [k.Nodes, k.MinAgentsPerNode, k.MaxAgentsPerNode, k.RehomedAgents, u.Abandoned, F(k.GradientSeconds), F(k.AllReduceSeconds), k.WireBytes]
            : [];
        return string.Join(",", new object[]
        {
            u.Version, F(c.Seconds), c.EnvSteps, F(c.EnvSteps / Math.Max(c.Seconds, 1e-9)), c.Trials, F(u.MeanScore), F(u.PolicyLoss), F(u.ValueLoss),
            F(u.Entropy), F(u.ApproxKl), F(u.MeanPolicyLag), u.DroppedStale, c.Faults, F(c.MeanBatch), u.Skipped ? 1 : 0, F(u.Seconds),
        }.Concat(eval).Concat(u.GroupScores.Select(g => (object)F(g))).Concat(cluster).Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)));
    }

    private static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _budgetTimer?.Dispose();
        _csv?.Dispose();
    }
}
