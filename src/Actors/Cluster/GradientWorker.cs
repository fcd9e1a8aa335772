using System.Diagnostics;
using Akka.Actor;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;

namespace MetaRL.Actors.Cluster;

/// <summary>A gradient worker's settings: PPO's loss, the async policy-lag bound, and the groups whose scores it sums.</summary>
public sealed record GradientWorkerSettings(PpoOptions Ppo, int MaxPolicyLag, IReadOnlyList<int>? GroupStarts, int TorchThreads = 1);

/// <summary>
/// One node's part of the learner (DD-PPO, docs/architecture.md §5). The node's agents hand it their trials, which
/// never leave the node; it tells the learner how many it holds (<see cref="TrialsReady"/>, at most every
/// <see cref="ReadyInterval"/>). When an update begins (<see cref="BeginShard"/>) it takes them, drops those more than
/// <c>maxPolicyLag</c> versions old, cuts them into minibatches (<see cref="PpoShard"/>) and answers with what the
/// learner needs to know of them; then, for each minibatch step, it computes its part's gradient at the parameters the
/// learner sends (<see cref="ComputeGradient"/>). Runs on <see cref="Hosting.MetaRlAkka.ComputeDispatcher"/>.
/// </summary>
public sealed class GradientWorker : ReceiveActor, IWithTimers
{
    /// <summary>The longest a change in the trials held waits before the learner hears of it.</summary>
    public static readonly TimeSpan ReadyInterval = TimeSpan.FromMilliseconds(20);

    private sealed record ReadyTick
    {
        public static readonly ReadyTick Instance = new();
    }

    private readonly InContextModel _model;
    private readonly GradientWorkerSettings _settings;
    private readonly IActorRef _learner;
    private readonly List<Trajectory> _trials = [];
    private int _abandoned;
    private int _dropped;
    private int _shards;
    private long _version = -1;
    private bool _changed;
    private PpoShard? _shard;
    private (long Version, int Rank) _shardOf;

    /// <param name="modelFactory">Called once per incarnation, on the worker's own thread; the worker owns and disposes the model.</param>
    /// <param name="learner">The learner singleton's proxy.</param>
    public GradientWorker(Func<InContextModel> modelFactory, GradientWorkerSettings settings, IActorRef learner)
    {
        ComputeThreads.UseOnThisThread(settings.TorchThreads);
        _model = modelFactory();
        _model.train();
        _settings = settings;
        _learner = learner;
        Receive<TrialCompleted>(m =>
        {
            if (Stale(m.Trajectory)) _dropped++;
            else _trials.Add(m.Trajectory);
            Changed();
        });
        Receive<TrialAbandoned>(_ =>
        {
            _abandoned++;
            Changed();
        });
        Receive<ReadyTick>(_ => TellReady());
        Receive<ParametersUpdated>(p =>
        {
            // An update this worker took part in is over (published) or was given up: its shard goes.
            if (_shard is not null && p.Version > _shardOf.Version) DropShard();
            if (p.Version <= _version) return;
            // Trials too old for the versions to come are dropped now, so that what the learner is told is trainable.
            _version = p.Version;
            int before = _trials.Count;
            _dropped += _trials.RemoveAll(Stale);
            if (_trials.Count != before) Changed();
        });
        Receive<BeginShard>(OnBeginShard);
        Receive<ComputeGradient>(OnComputeGradient);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PostStop()
    {
        DropShard();
        _model.Dispose();
    }

    private void Changed()
    {
        _changed = true;
        if (!Timers.IsTimerActive(ReadyTick.Instance)) Timers.StartSingleTimer(ReadyTick.Instance, ReadyTick.Instance, ReadyInterval);
    }

    private void TellReady()
    {
        if (!_changed) return;
        _changed = false;
        _learner.Tell(new TrialsReady(Self, _trials.Count, _abandoned, _shards), Self);
    }

    private void OnBeginShard(BeginShard begin)
    {
        DropShard();
        int dropped = _dropped + _trials.RemoveAll(t => begin.Version - t.OldestPolicyVersion > _settings.MaxPolicyLag);
        _dropped = 0;
        // The oldest first (they would go stale next); the rest wait for the next update, so an update takes its quota
        // however many trials came in while the one before it ran.
        _trials.Sort(static (a, b) => a.OldestPolicyVersion.CompareTo(b.OldestPolicyVersion));
        int take = Math.Min(begin.Quota, _trials.Count);
        var taken = _trials.GetRange(0, take);
        _trials.RemoveRange(0, take);
        // A fixed order, as the in-process learner keeps: the shard's minibatches depend only on what it holds.
        taken.Sort(static (a, b) => a.AgentIndex != b.AgentIndex ? a.AgentIndex.CompareTo(b.AgentIndex) : a.TrialIndex.CompareTo(b.TrialIndex));
        var report = UpdateReport.Of(taken, begin.Version, _settings.GroupStarts);
        var (groupSums, groupCounts) = UpdateReport.GroupSums(taken, _settings.GroupStarts);
        int abandoned = _abandoned;
        _abandoned = 0;
        _shard = new PpoShard(_model, taken, _settings.Ppo, begin.Seed);
        _shardOf = (begin.Version, begin.Rank);
        _shards++;
        Sender.Tell(new ShardReady(begin.Version, begin.Rank, taken.Count, abandoned, dropped, report.ScoreSum, report.LagSum, groupSums, groupCounts,
            _shard.Sums.ToArray()), Self);
        _changed = true;
        TellReady();
    }

    private void OnComputeGradient(ComputeGradient c)
    {
        if (_shard is null || _shardOf.Version != c.Version) return; // an update given up, or one this incarnation never began: the learner's timeout covers it
        var clock = Stopwatch.StartNew();
        var options = _settings.Ppo with { EntropyCoef = c.EntropyCoef };
        var gradient = _shard.Gradient(c.Step, c.Parameters, c.Norm, options);
        Sender.Tell(new GradientComputed(c.Version, _shardOf.Rank, c.Step, gradient, clock.Elapsed.TotalSeconds), Self);
    }

    /// <summary>Too old to train on after the version in force (as the in-process learner drops it on arrival).</summary>
    private bool Stale(Trajectory t) => _version - t.OldestPolicyVersion > _settings.MaxPolicyLag;

    private void DropShard()
    {
        _shard?.Dispose();
        _shard = null;
    }
}
