using System.Diagnostics;
using Akka.Actor;
using MetaRL.Actors.Inference;
using MetaRL.Policies;

namespace MetaRL.Actors.Learning;

/// <summary>A learner's settings.</summary>
/// <param name="Mode">Lockstep: update after exactly <paramref name="TrialsPerUpdate"/> trials (a round of the whole population); async: as soon as that many fresh trials are in.</param>
/// <param name="TrialsPerUpdate">Trials per update.</param>
/// <param name="MaxPolicyLag">Async: trials whose oldest step is more than this many versions behind are dropped (counted).</param>
/// <param name="TotalUpdates">Updates planned for the run, for the learning-rate schedule's progress.</param>
/// <param name="TorchThreads">libtorch threads of the learner's own thread (config key <c>torchThreads</c>).</param>
public sealed record LearnerSettings(BatchingMode Mode, int TrialsPerUpdate, int MaxPolicyLag, int TotalUpdates, int TorchThreads = 1);

/// <summary>
/// Collects completed trials, runs the meta-gradient update (PPO over whole trials) and broadcasts versioned
/// parameters to the batchers (docs/architecture.md §2). It builds its trainer from a factory when it starts, owns it and
/// disposes it when it stops; it first sends the trainer's parameters as version 0, which the batchers wait for.
/// An update that is not finite is skipped and reported; the version still advances so that lockstep batchers,
/// which wait for it, go on. The learner is never restarted: a new incarnation would start from version 0
/// with fresh optimizer state, so its supervisor stops it and ends the run instead.
/// Runs on <see cref="Hosting.MetaRlAkka.ComputeDispatcher"/>.
/// </summary>
public sealed class Learner : ReceiveActor
{
    private readonly IPolicyTrainer _trainer;
    private readonly LearnerSettings _settings;
    private readonly IReadOnlyList<IActorRef> _batchers;
    private readonly IActorRef _reportTo;
    private readonly List<Trajectory> _buffer = [];
    private long _version;
    private int _droppedStale;
    private int _abandoned;

    /// <param name="trainerFactory">Called once, on the learner's own thread; the learner owns and disposes what it returns.</param>
    public Learner(Func<IPolicyTrainer> trainerFactory, LearnerSettings settings, IReadOnlyList<IActorRef> batchers, IActorRef reportTo)
    {
        ComputeThreads.UseOnThisThread(settings.TorchThreads);
        _trainer = trainerFactory();
        _settings = settings;
        _batchers = batchers;
        _reportTo = reportTo;
        Receive<TrialCompleted>(OnTrial);
        Receive<TrialAbandoned>(_ => OnAbandoned());
        Receive<SendParameters>(m => m.To.Tell(new ParametersUpdated(_version, _trainer.GetParameters()), Self));
    }

    protected override void PreStart()
    {
        var initial = new ParametersUpdated(0, _trainer.GetParameters());
        foreach (var b in _batchers) b.Tell(initial, Self);
    }

    protected override void PostStop() => _trainer.Dispose();

    private void OnTrial(TrialCompleted message)
    {
        var t = message.Trajectory;
        if (_settings.Mode == BatchingMode.Async && _version - t.OldestPolicyVersion > _settings.MaxPolicyLag)
        {
            _droppedStale++;
            return;
        }
        _buffer.Add(t);
        if (_buffer.Count + _abandoned >= _settings.TrialsPerUpdate) Update();
    }

    private void OnAbandoned()
    {
        _abandoned++;
        if (_buffer.Count + _abandoned >= _settings.TrialsPerUpdate) Update();
    }

    private void Update()
    {
        var clock = Stopwatch.StartNew();
        // A fixed order (not arrival order) keeps lockstep runs bit-reproducible.
        _buffer.Sort(static (a, b) => a.AgentIndex != b.AgentIndex ? a.AgentIndex.CompareTo(b.AgentIndex) : a.TrialIndex.CompareTo(b.TrialIndex));
        double progress = Math.Clamp((double)_version / Math.Max(1, _settings.TotalUpdates), 0, 1);
        var result = _buffer.Count > 0 ? _trainer.Update(_buffer, progress) : UpdateResult.Skip("every trial of the round was lost to env faults");
        double lag = 0, score = 0;
        foreach (var t in _buffer)
        {
            lag += _version - t.OldestPolicyVersion;
            score += t.Score;
        }
        int trials = Math.Max(1, _buffer.Count);
        var report = (Trials: _buffer.Count, Abandoned: _abandoned, Dropped: _droppedStale);
        _buffer.Clear();
        _abandoned = 0;
        _droppedStale = 0;
        _version++;
        var parameters = new ParametersUpdated(_version, _trainer.GetParameters());
        foreach (var b in _batchers) b.Tell(parameters, Self);
        _reportTo.Tell(new UpdateCompleted(_version, report.Trials, report.Abandoned, report.Dropped, score / trials, result.PolicyLoss,
            result.ValueLoss, result.Entropy, result.ApproxKl, result.Skipped, result.SkipReason, lag / trials, clock.Elapsed.TotalSeconds,
            parameters.Parameters), Self);
    }
}
