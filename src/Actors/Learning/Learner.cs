using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Persistence;
using MetaRL.Policies;

namespace MetaRL.Actors.Learning;

/// <summary>Where and how often a learner checkpoints (config keys <c>persistence</c> and <c>checkpointEvery</c>).</summary>
/// <param name="PersistenceId">The run's id in the journal and snapshot store.</param>
/// <param name="CheckpointEvery">Updates between checkpoints; a checkpoint is also saved at the last update and on a clean stop.</param>
/// <param name="MaxOutage">How long the database may refuse reads and writes before the run fails.</param>
/// <param name="CheckpointRetryDelay">The pause before a failed checkpoint is tried again, doubled at each of its <see cref="Learner.CheckpointAttempts"/> attempts.</param>
public sealed record LearnerPersistence(string PersistenceId, int CheckpointEvery = 10, TimeSpan? MaxOutage = null, TimeSpan? CheckpointRetryDelay = null)
{
    public TimeSpan Outage => MaxOutage ?? TimeSpan.FromMinutes(2);

    public TimeSpan RetryDelay => CheckpointRetryDelay ?? TimeSpan.FromSeconds(1);
}

/// <summary>A learner's settings.</summary>
/// <param name="Mode">Lockstep: update after exactly <paramref name="TrialsPerUpdate"/> trials (a round of the whole population); async: as soon as that many fresh trials are in.</param>
/// <param name="TrialsPerUpdate">Trials per update.</param>
/// <param name="MaxPolicyLag">Async: trials whose oldest step is more than this many versions behind are dropped (counted).</param>
/// <param name="TotalUpdates">Updates planned for the run: the learning-rate schedule's end, and the last update the learner makes.</param>
/// <param name="TorchThreads">libtorch threads of the learner's own thread (config key <c>torchThreads</c>).</param>
/// <param name="Persistence">Checkpoints and metrics rows in Akka.Persistence; null: nothing is persisted.</param>
/// <param name="GroupStarts">With groups of agents (<see cref="Population.AgentGroups"/>), the first agent of each and the number of agents: each update then reports each group's mean score.</param>
/// <param name="Evaluation">Held-out evaluation during training; null: none.</param>
public sealed record LearnerSettings(BatchingMode Mode, int TrialsPerUpdate, int MaxPolicyLag, int TotalUpdates, int TorchThreads = 1,
    LearnerPersistence? Persistence = null, IReadOnlyList<int>? GroupStarts = null, LearnerEvaluation? Evaluation = null);

/// <summary>
/// Collects completed trials, runs the meta-gradient update (PPO over whole trials) and broadcasts versioned
/// parameters to the batchers (docs/architecture.md §2). It builds its trainer from a factory when it starts, owns it and
/// disposes it when it stops. It starts from version 0, or, with persistence, from the newest checkpoint its
/// <see cref="RunJournal"/> recovers; then it sends the parameters to the batchers, which wait for them, and tells
/// its parent (<see cref="LearnerStarted"/>). An update that is not finite is skipped and reported; the version
/// still advances so that lockstep batchers, which wait for it, go on. After <see cref="LearnerSettings.TotalUpdates"/>
/// it makes no more updates. The learner is never restarted: a new incarnation would lose the updates since its
/// last checkpoint while the agents went on, so its supervisor stops it and ends the run instead.
/// Runs on <see cref="Hosting.MetaRlAkka.ComputeDispatcher"/>.
/// </summary>
/// <remarks>
/// <para>Evaluation during training (<see cref="LearnerSettings.Evaluation"/>): every N updates the new version is scored on
/// held-out tasks before it is published, so in lockstep the whole population waits for it (nothing else runs on the
/// cores meanwhile); its time is taken out of the run's clock (<see cref="RunCounters.Seconds"/> is training time)
/// and reported with the score on the update's row.</para>
/// Durability (docs/architecture.md §4): every update's metrics row goes to the journal, and every
/// <see cref="LearnerPersistence.CheckpointEvery"/> updates a checkpoint. Progress is reported to the parent only
/// once the row is durable, so what a monitor writes is what the journal holds. Rows and the checkpoint not yet
/// confirmed are kept here and sent again when the journal recovers from a database failure; while more than
/// <see cref="MaxUnconfirmed"/> are outstanding, updates wait, so training waits out a database that is away for
/// up to <see cref="LearnerPersistence.MaxOutage"/> and fails the run after that.
/// </remarks>
public class Learner : ReceiveActor, IWithStash, IWithTimers
{
    /// <summary>Metrics rows that may await the journal's confirmation before updates wait for it.</summary>
    public const int MaxUnconfirmed = 2;

    /// <summary>Tries of one checkpoint before the run fails (over about 15 s at the default delay).</summary>
    public const int CheckpointAttempts = 5;

    private sealed record RetryCheckpoint
    {
        public static readonly RetryCheckpoint Instance = new();
    }

    private readonly IPolicyTrainer _trainer;
    private readonly IHeldOutEvaluator? _evaluator;
    private readonly LearnerSettings _settings;
    private readonly IReadOnlyList<IActorRef> _batchers;
    private readonly IActorRef _reportTo;
    private readonly Func<RunCounters> _liveCounters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<Trajectory> _buffer = [];
    private readonly List<UpdateCompleted> _unconfirmed = [];
    private readonly List<IActorRef> _flushWaiters = [];
    private IActorRef _journal = ActorRefs.Nobody;
    private RunCounters _countersAtStart = RunCounters.Zero;

    /// <summary>The run's counters when the version in force was made (what its checkpoint keeps).</summary>
    private RunCounters _countersAtVersion = RunCounters.Zero;
    private LearnerSnapshot? _pendingCheckpoint;
    private float[]? _pendingCheckpointParameters;
    private long _savedCheckpointVersion = -1;
    private int _checkpointAttempts;
    private DateTime? _outageSince;
    private bool _updateDue;
    private bool _stopping;
    private long _version;
    private int _skipped;
    private int _droppedStale;
    private int _abandoned;

    /// <summary>Seconds this stretch of the run spent evaluating: not training time.</summary>
    private double _evalSeconds;

    /// <param name="trainerFactory">Called once, on the learner's own thread; the learner owns and disposes what it returns.</param>
    /// <param name="liveCounters">This process's counters since the population started (read on the learner's thread; thread-safe).</param>
    public Learner(Func<IPolicyTrainer> trainerFactory, LearnerSettings settings, IReadOnlyList<IActorRef> batchers, IActorRef reportTo,
        Func<RunCounters>? liveCounters = null)
    {
        ComputeThreads.UseOnThisThread(settings.TorchThreads);
        _trainer = trainerFactory();
        _evaluator = settings.Evaluation?.Factory();
        _settings = settings;
        _batchers = batchers;
        _reportTo = reportTo;
        _liveCounters = liveCounters ?? (() => RunCounters.Zero);
        if (settings.Persistence is null) Training();
        else Become(Recovering);
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    private LearnerPersistence? Durable => _settings.Persistence;

    protected override void PreStart()
    {
        if (Durable is not { } p)
        {
            Start();
            return;
        }
        // Persist failures stop the journal; the backoff supervisor starts it again, and it recovers and tells us.
        var self = Self; // captured now: the factory runs inside the journal's construction, where Self is the journal
        var journal = FactoryProps.Create(() => new RunJournal(p.PersistenceId, self));
        _journal = Context.ActorOf(BackoffSupervisor.Props(Backoff.OnStop(journal, "journal", TimeSpan.FromMilliseconds(200),
            TimeSpan.FromSeconds(3), 0.2, maxNrOfRetries: -1)), "journal-supervisor");
    }

    protected override void PostStop()
    {
        _trainer.Dispose();
        _evaluator?.Dispose();
    }

    private void Recovering()
    {
        Receive<JournalRecovered>(r =>
        {
            if (r.Snapshot is null && r.Unreadable > 0)
                throw new InvalidDataException($"none of the run's {r.Unreadable} checkpoint(s) can be read (see the warnings above)");
            if (r.Snapshot is { } s)
            {
                using (var state = new MemoryStream(s.TrainerState, writable: false)) _trainer.LoadState(state);
                _version = s.Version;
                _skipped = s.SkippedUpdates;
                _countersAtStart = _countersAtVersion = s.Counters;
                _savedCheckpointVersion = s.Version;
                if (r.LastRecordedVersion > s.Version)
                    _log.Info("resuming from the checkpoint of update {0}; updates {1}–{2} were recorded after it and are run again",
                        s.Version, s.Version + 1, r.LastRecordedVersion);
                else _log.Info("resuming from the checkpoint of update {0}", s.Version);
            }
            Become(Training);
            Start();
            Stash.UnstashAll();
        });
        Receive<JournalFailed>(f => throw new JournalUnavailableException($"the run's database cannot be read: {f.Reason}"));
        ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>Where progress goes: the population, or a clustered run's owner.</summary>
    protected IActorRef ReportTo => _reportTo;

    /// <summary>The trainer, built on the learner's thread.</summary>
    protected IPolicyTrainer Trainer => _trainer;

    protected LearnerSettings Settings => _settings;

    /// <summary>The version in force (the number of updates made).</summary>
    protected long Version => _version;

    protected ILoggingAdapter Log => _log;

    private void Training()
    {
        Receive<TrialCompleted>(OnTrial);
        Receive<TrialAbandoned>(_ => OnAbandoned());
        Receive<SendParameters>(m => m.To.Tell(new ParametersUpdated(_version, _trainer.GetParameters()), Self));
        Receive<FlushCheckpoint>(_ => OnFlush());
        Receive<UpdateRecorded>(OnRecorded);
        Receive<CheckpointSaved>(OnCheckpointSaved);
        Receive<CheckpointFailed>(OnCheckpointFailed);
        Receive<RetryCheckpoint>(_ =>
        {
            if (_pendingCheckpoint is { } c) _journal.Tell(new SaveCheckpoint(c));
        });
        Receive<JournalRecovered>(_ =>
        {
            // The journal was restarted after a database failure: send what it has not confirmed, in order.
            _outageSince = null;
            _log.Info("the run's database is back; {0} metrics row(s) and {1} checkpoint sent again", _unconfirmed.Count, _pendingCheckpoint is null ? "no" : "a");
            foreach (var u in _unconfirmed) _journal.Tell(new RecordUpdate(u));
            if (_pendingCheckpoint is { } c) _journal.Tell(new SaveCheckpoint(c));
        });
        Receive<JournalFailed>(OnJournalFailed);
        OnTraining();
    }

    /// <summary>Where a learner that gets its trials and gradients from elsewhere (<see cref="Cluster.ClusterLearner"/>) adds its handlers.</summary>
    protected virtual void OnTraining()
    {
    }

    /// <summary>Sends new parameters to whoever acts with them: the batchers given at construction.</summary>
    protected virtual void Publish(ParametersUpdated parameters)
    {
        foreach (var b in _batchers) b.Tell(parameters, Self);
    }

    /// <summary>
    /// Publish a version only once its checkpoint is durable (and checkpoint every update): then no actor ever acts
    /// with a version that a new incarnation of the learner, resuming from the journal, would not have.
    /// </summary>
    protected virtual bool PublishOnlyDurable => false;

    /// <summary>Trials (completed or lost) in hand toward the next update.</summary>
    protected virtual int TrialsInHand => _buffer.Count + _abandoned;

    /// <summary>True while an update that takes messages to finish (a data-parallel one) is under way.</summary>
    protected virtual bool UpdateInProgress => false;

    /// <summary>The run's counters now, across resumes.</summary>
    protected RunCounters CountersNow => _countersAtStart.Then(TrainingCounters());

    /// <summary>This stretch's counters with the time spent evaluating taken out of its clock.</summary>
    private RunCounters TrainingCounters()
    {
        var live = LiveCounters();
        return live with { Seconds = Math.Max(0, live.Seconds - _evalSeconds) };
    }

    /// <summary>The counters of this run's stretch since the learner started (its agents' steps, trials, faults, batches).</summary>
    protected virtual RunCounters LiveCounters() => _liveCounters();

    /// <summary>Sends the parameters in force to the batchers and tells the parent where the run starts.</summary>
    private void Start()
    {
        Publish(new ParametersUpdated(_version, _trainer.GetParameters()));
        _reportTo.Tell(new LearnerStarted(_version, _countersAtStart), Self);
    }

    /// <summary>No more updates: the run's last one is done, or a clean stop asked for the last checkpoint.</summary>
    protected bool Finished => _version >= _settings.TotalUpdates || _stopping;

    private void OnTrial(TrialCompleted message)
    {
        if (Finished) return;
        var t = message.Trajectory;
        if (_settings.Mode == BatchingMode.Async && _version - t.OldestPolicyVersion > _settings.MaxPolicyLag)
        {
            _droppedStale++;
            return;
        }
        _buffer.Add(t);
        UpdateIfDue();
    }

    private void OnAbandoned()
    {
        if (Finished) return;
        _abandoned++;
        UpdateIfDue();
    }

    protected void UpdateIfDue()
    {
        if (Finished || UpdateInProgress) return;
        _updateDue = TrialsInHand >= _settings.TrialsPerUpdate;
        if (!_updateDue) return;
        if (_unconfirmed.Count >= MaxUnconfirmed) return; // the journal is behind: wait for it (OnRecorded goes on)
        _updateDue = false;
        BeginUpdate();
    }

    /// <summary>Runs the update now, over the trials in the buffer (the learner's own, in-process).</summary>
    protected virtual void BeginUpdate()
    {
        var clock = Stopwatch.StartNew();
        // A fixed order (not arrival order) keeps lockstep runs bit-reproducible.
        _buffer.Sort(static (a, b) => a.AgentIndex != b.AgentIndex ? a.AgentIndex.CompareTo(b.AgentIndex) : a.TrialIndex.CompareTo(b.TrialIndex));
        var result = _buffer.Count > 0 ? _trainer.Update(_buffer, _version, Progress) : UpdateResult.Skip("every trial of the round was lost to env faults");
        var gathered = UpdateReport.Of(_buffer, _version, _settings.GroupStarts) with { Abandoned = _abandoned, DroppedStale = _droppedStale };
        _buffer.Clear();
        _abandoned = 0;
        _droppedStale = 0;
        CompleteUpdate(result, gathered, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The fraction of the run's updates made, for learning-rate and entropy schedules.</summary>
    protected double Progress => Math.Clamp((double)_version / Math.Max(1, _settings.TotalUpdates), 0, 1);

    /// <summary>The version advances, its parameters go out (or wait for their checkpoint), and its row is reported or journaled.</summary>
    protected void CompleteUpdate(UpdateResult result, UpdateReport gathered, double seconds, Cluster.ClusterShape? cluster = null)
    {
        int trials = Math.Max(1, gathered.Trials);
        _version++;
        if (result.Skipped) _skipped++;
        // Read before the broadcast: once the batchers have the new version, agents step on in the next round, and a
        // resumed run (which counts on from these) would count those steps twice.
        _countersAtVersion = _countersAtStart.Then(TrainingCounters());
        var parameters = new ParametersUpdated(_version, _trainer.GetParameters());
        var heldOut = EvaluateIfDue(parameters.Parameters);
        if (!PublishOnlyDurable || Durable is null) Publish(parameters);
        var update = new UpdateCompleted(_version, gathered.Trials, gathered.Abandoned, gathered.DroppedStale, gathered.ScoreSum / trials,
            result.PolicyLoss, result.ValueLoss, result.Entropy, result.ApproxKl, result.Skipped, result.SkipReason, gathered.LagSum / trials, seconds,
            parameters.Parameters) { Counters = _countersAtVersion, GroupScores = gathered.GroupScores, Cluster = cluster, Eval = heldOut };
        if (Durable is not { } p) _reportTo.Tell(update, Self);
        else
        {
            _unconfirmed.Add(update);
            _journal.Tell(new RecordUpdate(update));
            if (PublishOnlyDurable || _version % p.CheckpointEvery == 0 || Finished) Checkpoint(parameters.Parameters);
        }
        UpdateIfDue(); // trials may have come in while an update that takes messages was under way
    }

    /// <summary>
    /// Scores the new version on held-out tasks when one is due (every <see cref="LearnerEvaluation.Every"/> updates
    /// and the run's last): before it is published, so that in lockstep no agent steps meanwhile, and off the run's clock.
    /// </summary>
    private HeldOutScore? EvaluateIfDue(float[] parameters)
    {
        if (_evaluator is null || (_version % _settings.Evaluation!.Every != 0 && _version != _settings.TotalUpdates)) return null;
        var clock = Stopwatch.StartNew();
        var score = _evaluator.Evaluate(parameters);
        _evalSeconds += clock.Elapsed.TotalSeconds;
        return score;
    }

    /// <summary>Saves a checkpoint of the version in force (after its metrics row: the journal handles them in order).</summary>
    private void Checkpoint(float[]? parameters = null)
    {
        using var state = new MemoryStream();
        _trainer.SaveState(state);
        _pendingCheckpoint = new LearnerSnapshot(_version, _skipped, _countersAtVersion, state.ToArray());
        _pendingCheckpointParameters = parameters ?? _trainer.GetParameters();
        _checkpointAttempts = 0;
        _journal.Tell(new SaveCheckpoint(_pendingCheckpoint));
    }

    private void OnRecorded(UpdateRecorded recorded)
    {
        _outageSince = null;
        int i = _unconfirmed.FindIndex(u => u.Version == recorded.Version);
        if (i < 0) return; // a row sent twice around a database failure: confirmed already
        // Rows are confirmed in order; report each once it is durable.
        for (int k = 0; k <= i; k++) _reportTo.Tell(_unconfirmed[k], Self);
        _unconfirmed.RemoveRange(0, i + 1);
        if (_updateDue) UpdateIfDue();
        AnswerFlushWaiters();
    }

    private void OnCheckpointSaved(CheckpointSaved saved)
    {
        if (_pendingCheckpoint is not { } c || c.Version != saved.Version) return;
        _pendingCheckpoint = null;
        _savedCheckpointVersion = saved.Version;
        _log.Info("checkpoint of update {0} saved", saved.Version);
        if (PublishOnlyDurable && _pendingCheckpointParameters is { } parameters) Publish(new ParametersUpdated(saved.Version, parameters));
        _pendingCheckpointParameters = null;
        AnswerFlushWaiters();
    }

    /// <summary>A checkpoint that failed is tried again a few times (the database may be briefly away); then the run fails, the previous checkpoint intact.</summary>
    private void OnCheckpointFailed(CheckpointFailed failed)
    {
        if (_pendingCheckpoint is not { } c || c.Version != failed.Version) return;
        if (++_checkpointAttempts >= CheckpointAttempts)
        {
            var error = $"the checkpoint of update {failed.Version} could not be saved ({failed.Reason}); the run can resume from update {Math.Max(0, _savedCheckpointVersion)}";
            foreach (var w in _flushWaiters) w.Tell(new CheckpointDone(_version, _trainer.GetParameters(), error));
            _flushWaiters.Clear();
            throw new JournalUnavailableException(error);
        }
        _log.Warning("the checkpoint of update {0} could not be saved ({1}); trying again", failed.Version, failed.Reason);
        Timers.StartSingleTimer(RetryCheckpoint.Instance, RetryCheckpoint.Instance, Durable!.RetryDelay * (1 << (_checkpointAttempts - 1)));
    }

    private void OnJournalFailed(JournalFailed failed)
    {
        var now = DateTime.UtcNow;
        _outageSince ??= now;
        _log.Warning("the run's database failed ({0}); training waits for it", failed.Reason);
        if (now - _outageSince > Durable!.Outage)
            throw new JournalUnavailableException($"the run's database has failed for {Durable.Outage.TotalSeconds:0} s: {failed.Reason}");
    }

    /// <summary>A clean stop: make the version in force durable, then answer.</summary>
    private void OnFlush()
    {
        _stopping = true;
        if (Durable is null)
        {
            Sender.Tell(new CheckpointDone(_version, _trainer.GetParameters()));
            return;
        }
        _flushWaiters.Add(Sender);
        if (_savedCheckpointVersion != _version && _pendingCheckpoint?.Version != _version) Checkpoint();
        AnswerFlushWaiters();
    }

    private void AnswerFlushWaiters()
    {
        if (_flushWaiters.Count == 0 || _unconfirmed.Count > 0 || _savedCheckpointVersion != _version) return;
        var parameters = _trainer.GetParameters();
        foreach (var w in _flushWaiters) w.Tell(new CheckpointDone(_version, parameters));
        _flushWaiters.Clear();
    }
}

/// <summary>The run's database could not be read or written for longer than the run may wait, or a checkpoint could not be saved.</summary>
public sealed class JournalUnavailableException(string message) : Exception(message);
