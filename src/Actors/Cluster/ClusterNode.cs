using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Learning;
using MetaRL.Policies;

namespace MetaRL.Actors.Cluster;

/// <summary>One node's part of a clustered run, the same on the seed and on every other node.</summary>
/// <param name="Host">The node's <see cref="NodeHost"/> (at /user/node).</param>
/// <param name="Learner">The learner singleton's proxy (at /user/learner-proxy).</param>
public sealed record ClusterNodeParts(IActorRef Host, IActorRef Learner);

/// <summary>Starts a node's part of a clustered run in an actor system that is a member of the run's cluster.</summary>
public static class ClusterNode
{
    /// <summary>
    /// Starts the learner singleton's manager (every node may come to host the learner: the oldest does), its proxy,
    /// and the node host (batchers, gradient worker, the shard region of agents).
    /// </summary>
    /// <param name="trainerFactory">The learner's trainer (a <c>PpoTrainer</c>), built wherever the singleton starts.</param>
    /// <param name="owner">The run owner on the seed: the learner reports to it, and its loss ends this node.</param>
    /// <param name="observer">Hears of the node's first parameters and of the end of its part.</param>
    public static ClusterNodeParts Start(ActorSystem system, NodeSpec spec, Func<IPolicyTrainer> trainerFactory, LearnerSettings learnerSettings,
        IActorRef owner, INodeObserver observer)
    {
        var learnerProps = FactoryProps.Create(() => new ClusterLearner(trainerFactory, learnerSettings, owner, spec.Options.Agents))
            .WithDispatcher(MetaRlAkka.ComputeDispatcher);
        // A node without the learner's role (a seed started with --no-learner) has only the proxy.
        if (Akka.Cluster.Cluster.Get(system).SelfRoles.Contains(MetaRlCluster.LearnerRole))
            system.ActorOf(ClusterSingletonManager.Props(learnerProps, PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system).WithRole(MetaRlCluster.LearnerRole)),
            MetaRlCluster.LearnerManagerName);
        var proxy = system.ActorOf(ClusterSingletonProxy.Props($"/user/{MetaRlCluster.LearnerManagerName}", ClusterSingletonProxySettings.Create(system).WithRole(MetaRlCluster.LearnerRole)),
            "learner-proxy");
        var host = system.ActorOf(FactoryProps.Create(() => new NodeHost(spec, proxy, owner, observer)), "node");
        return new ClusterNodeParts(host, proxy);
    }
}
