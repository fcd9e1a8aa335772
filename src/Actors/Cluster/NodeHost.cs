using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using MetaRL.Actors.Agents;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Population;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;

namespace MetaRL.Actors.Cluster;

/// <summary>What every node of a clustered run builds its part from (the same on every node: the run's config).</summary>
/// <param name="Options">The population's options: agents in all, batchers per node, async batching and policy lag.</param>
/// <param name="Seed">The run's seed (batchers' action draws are keyed by agent, so they match whichever node serves an agent).</param>
/// <param name="TorchThreads">libtorch threads of each batcher's and the gradient worker's thread.</param>
/// <param name="PolicyFactory">A batcher's policy copy.</param>
/// <param name="ModelFactory">The gradient worker's model copy.</param>
/// <param name="Ppo">PPO's options (the gradient worker's loss).</param>
/// <param name="GroupStarts">With groups, the first agent of each and the number of agents; null without.</param>
/// <param name="Agents">Builds agent i's props.</param>
/// <param name="Shards">Shards of the agents.</param>
public sealed record NodeSpec(PopulationOptions Options, int Seed, int TorchThreads, Func<IInContextPolicy> PolicyFactory, Func<InContextModel> ModelFactory,
    PpoOptions Ppo, IReadOnlyList<int>? GroupStarts, IAgentFactory Agents, int Shards);

/// <summary>What a node's process hears of its part of the run, on the node host's thread (keep it quick).</summary>
public interface INodeObserver
{
    /// <summary>The first parameters reached this node: its agents act from this version on.</summary>
    void OnFirstParameters(long version);

    /// <summary>Once: the node's part is over, and why; <paramref name="ok"/> when the run ended as it should (not its seed lost).</summary>
    void OnEnded(string reason, bool ok);
}

/// <summary>
/// One node's share of a clustered population (docs/architecture.md §5). It builds the node's inference batchers and its
/// <see cref="GradientWorker"/>, and starts the node's shard region, whose entities are agents that act through this
/// node's batchers and hand their trials to this node's worker: per-step messages never leave the node. It relays
/// the learner's parameters to them, starts each agent that comes up here (a new one, a rehomed one) at the trial the
/// newest parameters name, and reports to the learner every <see cref="ReportInterval"/>, which is also how a
/// learner, new or moved, learns of the node. It tells its owner process when the run has ended, or when the
/// run's owner on the seed is gone.
/// </summary>
public sealed class NodeHost : ReceiveActor, IWithTimers
{
    /// <summary>Between two reports to the learner.</summary>
    /// <remarks>Its counters are the run's steps and trials in metrics.csv, so they should be fresh; a report is a few dozen bytes.</remarks>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(250);

    private sealed record ReportTick
    {
        public static readonly ReportTick Instance = new();
    }

    private readonly NodeSpec _spec;
    private readonly IActorRef _learner;
    private readonly IActorRef _owner;
    private readonly INodeObserver _observer;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly AgentStatistics _stats = new();
    private readonly List<InferenceStatistics> _inference = [];
    private readonly Dictionary<IActorRef, int> _agents = [];
    private readonly List<IActorRef> _waiting = [];
    private IActorRef[] _batchers = [];
    private int[] _served = [];
    private IActorRef _worker = ActorRefs.Nobody;
    private ParametersPublished? _latest;
    private long _agentStarts;
    private bool _ended;

    /// <param name="learner">The learner singleton's proxy.</param>
    /// <param name="owner">The run owner on the seed; its loss ends this node.</param>
    /// <param name="observer">The node's process.</param>
    public NodeHost(NodeSpec spec, IActorRef learner, IActorRef owner, INodeObserver observer)
    {
        _spec = spec;
        _learner = learner;
        _owner = owner;
        _observer = observer;
        Receive<ParametersPublished>(OnParameters);
        Receive<AgentReady>(OnAgentReady);
        Receive<ReportTick>(_ => Report());
        Receive<BatcherRestarted>(OnBatcherRestarted);
        Receive<RunEnded>(m => End(m.Reason, ok: true));
        Receive<Terminated>(OnTerminated);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The shard region of agents on this node.</summary>
    public static IActorRef Region(ActorSystem system) => ClusterSharding.Get(system).ShardRegion(MetaRlCluster.AgentTypeName);

    protected override void PreStart()
    {
        var o = _spec.Options;
        _batchers = new IActorRef[o.Batchers];
        _served = new int[o.Batchers];
        for (int b = 0; b < o.Batchers; b++)
        {
            // Sized for every agent of the run: rebalancing and lost nodes may bring any of them here.
            var settings = new BatcherSettings(BatchingMode.Async, o.Agents, o.MaxBatch == 0 ? o.Agents : Math.Min(o.MaxBatch, o.Agents),
                TimeSpan.FromMilliseconds(o.MaxWaitMs), 1, TaskSeeds.Mix(_spec.Seed, 1, b), b, _spec.TorchThreads);
            var stats = new InferenceStatistics();
            _inference.Add(stats);
            var policy = _spec.PolicyFactory;
            _batchers[b] = Context.ActorOf(FactoryProps.Create(() => new InferenceBatcher(policy, settings, stats))
                .WithDispatcher(MetaRlAkka.ComputeDispatcher), $"batcher-{b}");
        }
        var workerSettings = new GradientWorkerSettings(_spec.Ppo, o.MaxPolicyLag, _spec.GroupStarts, _spec.TorchThreads);
        var model = _spec.ModelFactory;
        var learner = _learner;
        _worker = Context.ActorOf(FactoryProps.Create(() => new GradientWorker(model, workerSettings, learner))
            .WithDispatcher(MetaRlAkka.ComputeDispatcher), "gradients");
        if (!_owner.IsNobody()) Context.Watch(_owner);

        // Captured now: the entity factory runs on the shard's thread, where Self and Context are not ours.
        var self = Self;
        var batchers = _batchers;
        var worker = _worker;
        var counters = _stats;
        var agents = _spec.Agents;
        ClusterSharding.Get(Context.System).Start(MetaRlCluster.AgentTypeName,
            id =>
            {
                int index = int.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
                return agents.For(index, batchers[index % batchers.Length], worker, counters, self);
            },
            ClusterShardingSettings.Create(Context.System), new AgentShards(_spec.Shards));
        Timers.StartPeriodicTimer(ReportTick.Instance, ReportTick.Instance, TimeSpan.Zero, ReportInterval);
    }

    private void OnParameters(ParametersPublished p)
    {
        if (_latest is { } latest && p.Version < latest.Version) return; // a late copy
        if (_latest is null) _observer.OnFirstParameters(p.Version);
        _latest = p;
        var update = new ParametersUpdated(p.Version, p.Parameters);
        foreach (var b in _batchers) b.Tell(update, Self);
        _worker.Tell(update, Self);
        foreach (var agent in _waiting) agent.Tell(new StartAgent(p.FirstTrial), Self);
        _waiting.Clear();
    }

    private void OnAgentReady(AgentReady ready)
    {
        if (_agents.ContainsKey(Sender)) return;
        _agents[Sender] = ready.Index;
        Context.Watch(Sender);
        _agentStarts++;
        Serve(ready.Index, +1);
        // An agent acts only with parameters: until the first ones are here it waits (so a node that joins
        // mid-run acts with the current version, never with its own initial weights).
        if (_latest is { } p) Sender.Tell(new StartAgent(p.FirstTrial), Self);
        else _waiting.Add(Sender);
    }

    private void OnTerminated(Terminated t)
    {
        if (t.ActorRef.Equals(_owner))
        {
            End("the run's seed node is gone", ok: false);
            return;
        }
        if (!_agents.Remove(t.ActorRef, out int index)) return;
        _waiting.Remove(t.ActorRef);
        Serve(index, -1);
    }

    private void Serve(int index, int delta)
    {
        int b = index % _batchers.Length;
        _served[b] += delta;
        _batchers[b].Tell(new AgentsServed(Math.Max(1, _served[b])), Self);
    }

    private void Report()
    {
        long batches = 0, rows = 0;
        foreach (var s in _inference)
        {
            batches += s.Batches;
            rows += s.Rows;
        }
        var address = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        _learner.Tell(new NodeReport(address, Self, _worker, _agents.Count, _agentStarts, _stats.Steps, _stats.Trials, _stats.Faults, batches, rows,
            WireTraffic.BytesWritten), Self);
    }

    /// <summary>A restarted batcher gets the parameters in force again, and its agents here that wait for a reply ask again.</summary>
    private void OnBatcherRestarted(BatcherRestarted restarted)
    {
        int b = restarted.BatcherIndex;
        _log.Warning("batcher-{0} restarted after {1}; it reloads the parameters in force and its agents send their requests again", b, restarted.Reason);
        if (_latest is { } p) _batchers[b].Tell(new ParametersUpdated(p.Version, p.Parameters), Self);
        _batchers[b].Tell(new AgentsServed(Math.Max(1, _served[b])), Self);
        foreach (var (agent, index) in _agents)
            if (index % _batchers.Length == b) agent.Tell(ResendActRequest.Instance, Self);
    }

    private void End(string reason, bool ok)
    {
        if (_ended) return;
        _ended = true;
        Timers.CancelAll();
        _observer.OnEnded(reason, ok);
    }

    /// <summary>Batchers restart (their state comes back from here); the gradient worker too (an update it was part of is abandoned by the learner's timeout).</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(MaxRestarts, TimeSpan.FromMinutes(1), _ => Directive.Restart);

    /// <summary>Restarts a batcher or the worker may take within a minute (then the node's part fails, and the node leaves).</summary>
    public const int MaxRestarts = 3;
}
