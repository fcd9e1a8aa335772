using MetaRL.Actors.Population;
using MetaRL.Training.Cluster;

namespace MetaRL.Training;

/// <summary>
/// A run whose folder is made and locked (<see cref="MetaTrainer.Prepare"/>, <see cref="MetaTrainer.Resume"/>), to
/// <see cref="Run"/> once. Disposing it releases the folder's lock.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly IDisposable _lock;
    private readonly RunStatus _status;
    private SkillMilestones? _milestones;
    private bool _milestonesMade;
    private bool _ran;

    internal TrainingSession(TrainConfig config, RunFolder folder, RunStatus status, bool resuming, IDisposable runLock)
    {
        Config = config;
        Folder = folder;
        _status = status;
        Resuming = resuming;
        _lock = runLock;
    }

    public TrainConfig Config { get; }

    public RunFolder Folder { get; }

    /// <summary>It continues an earlier run from its newest checkpoint.</summary>
    public bool Resuming { get; }

    /// <summary>The run had ended complete before: there is nothing to resume.</summary>
    public bool AlreadyComplete => _status.IsComplete;

    /// <summary>The update the run starts from (its last checkpoint when resuming).</summary>
    public long StartUpdate => _status.Update;

    /// <summary>
    /// With <c>eval.every</c>: the best classical baseline on the held-out tasks the run is scored on, and the milestones
    /// against it (null without evaluation or without a baseline suite for the family). Computed once, on first use.
    /// </summary>
    internal SkillMilestones? Milestones
    {
        get
        {
            if (!_milestonesMade && Config.Eval.Every > 0)
                _milestones = SkillReference.For(Config, TrainingSetup.From(Config)) is { } reference ? new SkillMilestones(reference) : null;
            _milestonesMade = true;
            return _milestones;
        }
    }

    /// <summary>
    /// Trains until the run's updates or minutes are spent, <paramref name="cancel"/> is cancelled (as a signal would:
    /// the last checkpoint is saved and the model exported, and the run can resume), or the population fails. Writes
    /// the run's status and returns how it ended; an <see cref="IOException"/> when its folder cannot be written.
    /// </summary>
    public TrainResult Run(ITrainingObserver? observer = null, CancellationToken cancel = default) =>
        Run(observer, cancel, cluster: null, sink: null, warnings: Console.Error);

    /// <param name="cluster">Run as the seed of a cluster (the command line's <c>--cluster-port</c>).</param>
    /// <param name="sink">Sees metrics.csv's lines as they are written (the live dashboard).</param>
    /// <param name="warnings">Where warnings go besides the run's log.</param>
    internal TrainResult Run(ITrainingObserver? observer, CancellationToken cancel, ClusterSeed? cluster, IMetricsSink? sink, TextWriter warnings)
    {
        if (_ran) throw new InvalidOperationException("a training session runs once; resume the run for more (MetaTrainer.Resume)");
        _ran = true;
        if (AlreadyComplete)
            return new TrainResult(Folder.Path, true, _status.Update, _status.Update, "the run was complete", TimeSpan.Zero, 0, null, null, null);
        var outcome = Config.Algorithm == Policies.Maml.MetaAlgorithm.Ppo ? TrainPopulation(observer, cancel, cluster, sink, warnings) : TrainMetaGradient(observer, cancel);
        bool complete = outcome.Failure is null && outcome.SaveError is null && outcome.PolicyVersion >= Config.Updates;
        (_status with
        {
            State = complete ? RunStatus.Complete : RunStatus.Incomplete,
            Update = outcome.PolicyVersion,
            WallSeconds = _status.WallSeconds + outcome.Elapsed.TotalSeconds,
            Reason = complete ? null : outcome.Failure?.ToString() ?? outcome.SaveError ?? outcome.StopReason,
        }).Write(Folder);
        return new TrainResult(Folder.Path, complete, outcome.PolicyVersion, outcome.StartVersion, outcome.StopReason, outcome.Elapsed, outcome.SkippedUpdates,
            outcome.Failure?.ToString(), outcome.SaveError, outcome.SignalExitCode);
    }

    private TrainOutcome TrainPopulation(ITrainingObserver? observer, CancellationToken cancel, ClusterSeed? cluster, IMetricsSink? sink, TextWriter warnings)
    {
        var milestones = cluster is null ? Milestones : null;
        return TrainRun.Run(Config, Folder, _status, Resuming, warnings, p =>
        {
            foreach (var reached in milestones?.Reached(p.Update) ?? []) observer?.OnMilestone(reached);
            observer?.OnUpdate(p);
        }, cluster, sink, cancel);
    }

    /// <summary>A MAML or Reptile run, on this thread; SIGINT and SIGTERM stop it as they stop a population's run (saved, resumable).</summary>
    private TrainOutcome TrainMetaGradient(ITrainingObserver? observer, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        int? signal = null;
        void Stop(System.Runtime.InteropServices.PosixSignalContext context, int code)
        {
            context.Cancel = true;
            signal = code;
            stop.Cancel();
        }
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => Stop(c, 130));
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => Stop(c, 143));
        var outcome = MetaGradientRun.Run(Config, Folder, _status, Resuming, p => observer?.OnMetaUpdate(p), stop.Token);
        return signal is { } code
            ? outcome with { StopReason = (code == 130 ? "interrupted (SIGINT)" : "terminated (SIGTERM)") + $" after {outcome.PolicyVersion} updates", SignalExitCode = code }
            : outcome;
    }

    public void Dispose() => _lock.Dispose();
}
