using Akka.Actor;
using MetaRL.Actors;
using MetaRL.Actors.Cluster;
using MetaRL.Actors.Population;
using MetaRL.Training;

namespace MetaRL.Training.Cluster;

/// <summary>How <c>metarl train --cluster-port</c> runs its seed node.</summary>
/// <param name="Network">Where the seed listens (loopback unless <c>--cluster-host</c>), and TLS.</param>
/// <param name="MinNodes">Nodes (the seed included) that must be up before training starts.</param>
/// <param name="HostsLearner">Whether the seed may host the learner singleton (<c>--no-learner</c>: the oldest other node does).</param>
internal sealed record ClusterSeedOptions(ClusterOptions Network, int MinNodes, bool HostsLearner = true);

/// <summary>
/// The seed node of a clustered run (docs/architecture.md §5): it owns the run folder, admits nodes
/// (<see cref="Gatekeeper"/>), waits until <see cref="ClusterSeedOptions.MinNodes"/> are up, then starts its own part
/// (agents, batchers, gradient worker, and the learner singleton unless told not to), and at the end tells every
/// node the run is over and waits for them to leave before it goes.
/// </summary>
internal sealed class ClusterSeed(ClusterSeedOptions options, TrainConfig config, TextWriter stdout)
{
    /// <summary>How long the seed waits for the nodes to leave once the run is over.</summary>
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(15);

    private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClusterNodeParts? _parts;

    /// <summary>The seed's Akka settings: the cluster's, with the learner's role unless the seed must not host it.</summary>
    public Akka.Configuration.Config Config =>
        Akka.Configuration.ConfigurationFactory.ParseString(MetaRlCluster.Roles(options.HostsLearner)).WithFallback(MetaRlCluster.Config(options.Network));

    /// <summary>The run owner, gatekeeper and membership printer; returns the owner, which stands where a population stands.</summary>
    public IActorRef CreateActors(ActorSystem system, IPopulationObserver observer, string runId, string? sqliteFile)
    {
        var owner = system.ActorOf(FactoryProps.Create(() => new RunOwner(observer, () => _parts?.Learner ?? ActorRefs.Nobody,
            () => NodeHost.Region(system), config.Population.Agents)), "run");
        var admission = new JoinAdmitted(runId, TrainConfigLoader.ToJson(RunPersistence.WithoutSecrets(config)), sqliteFile ?? "", owner);
        system.ActorOf(FactoryProps.Create(() => new Gatekeeper(admission, config.Cluster.EffectiveSecret, Print)), "gate");
        system.ActorOf(FactoryProps.Create(() => new MembershipPrinter(Print, OnUpCount)), "members");
        return owner;
    }

    /// <summary>Joins itself (the seed forms the cluster) and completes once enough nodes are up.</summary>
    public Task Form(ActorSystem system)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.Join(cluster.SelfAddress);
        Print($"seed node {cluster.SelfAddress}: nodes join with `metarl node --seed {options.Network.Host}:{cluster.SelfAddress.Port}" +
            (options.Network.Tls is null ? "`" : " --tls-cert <the same certificate>`") +
            (options.MinNodes > 1 ? $"; training starts when {options.MinNodes} nodes are up" : ""));
        return _enough.Task;
    }

    /// <summary>Starts the seed's own part of the population; the run owner wakes the agents once the learner is ready.</summary>
    public void StartPart(ActorSystem system, ClusterParts parts, IActorRef owner) =>
        _parts = ClusterNode.Start(system, parts.Node, parts.Trainer, parts.Learner, owner, new Unobserved());

    /// <summary>The seed's own node part: its run ends through the monitor, not through its node host.</summary>
    private sealed class Unobserved : INodeObserver
    {
        public void OnFirstParameters(long version) { }

        public void OnEnded(string reason, bool ok) { }
    }

    /// <summary>Tells every node the run is over and waits (a while) for them to leave.</summary>
    public void End(ActorSystem system, IActorRef owner, string reason)
    {
        if (_parts is null) return;
        owner.Tell(new RunEnded(reason));
        var cluster = Akka.Cluster.Cluster.Get(system);
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); wait.Elapsed < LeaveTimeout; Thread.Sleep(100))
            if (cluster.State.Members.Count(m => !m.Address.Equals(cluster.SelfAddress)) == 0) return;
    }

    private void OnUpCount(int up)
    {
        if (up >= options.MinNodes) _enough.TrySetResult();
    }

    private void Print(string line)
    {
        lock (stdout) stdout.WriteLine(line);
    }
}
