using Akka.Actor;
using MetaRL.Actors.Learning;
using MetaRL.Policies.Algorithms;

namespace MetaRL.Actors.Cluster;

// What crosses nodes in a clustered run (docs/architecture.md §5). Every message here is written by
// ClusterSerializer as little-endian binary: numbers, strings, float arrays as bytes, actor refs as paths.

/// <summary>
/// Node host → learner, every <see cref="NodeHost.ReportInterval"/>: the node is alive and serves agents, with its
/// counters since it started. The first report from a node registers it (the learner watches its host and sends it
/// the parameters in force); a learner that has just taken over on another node learns the cluster from these.
/// </summary>
/// <param name="Node">The node's address (its rank in all-reduce follows the order of these strings).</param>
/// <param name="Host">The node's <see cref="NodeHost"/>.</param>
/// <param name="Worker">The node's <see cref="GradientWorker"/>.</param>
/// <param name="Agents">Agents alive on the node now.</param>
/// <param name="AgentStarts">Agents started on the node since it began (a start beyond an agent's first is a rehoming).</param>
/// <param name="Steps">Agent-steps taken on the node.</param>
/// <param name="Trials">Trials completed on the node.</param>
/// <param name="Faults">Env faults on the node.</param>
/// <param name="Batches">Forward passes of the node's batchers.</param>
/// <param name="BatchRows">Rows of those forward passes.</param>
/// <param name="WireBytes">Bytes the node's process has serialized for other nodes (<see cref="WireTraffic"/>).</param>
public sealed record NodeReport(string Node, IActorRef Host, IActorRef Worker, int Agents, long AgentStarts, long Steps, long Trials, long Faults,
    long Batches, long BatchRows, long WireBytes) : IWireMessage;

/// <summary>
/// Learner → node hosts: the parameters of <paramref name="Version"/>, published once its checkpoint is durable (so no
/// node ever acts with a version a new learner incarnation would not have), and the trial an agent that starts now
/// begins at (past every trial the run has counted, as a resumed run's agents do).
/// </summary>
public sealed record ParametersPublished(long Version, float[] Parameters, int FirstTrial) : IWireMessage;

/// <summary>
/// Gradient worker → learner: trials its node holds for the next update (completed, and lost to faults), absolute
/// counts, after the <paramref name="Shards"/>-th part it took (so a count overtaken by a <see cref="BeginShard"/> is told apart).
/// </summary>
public sealed record TrialsReady(IActorRef Worker, int Trials, int Abandoned, int Shards) : IWireMessage;

/// <summary>
/// Learner → each gradient worker of an update, in rank order: take up to <paramref name="Quota"/> of the trials you
/// hold for update <paramref name="Version"/> (after dropping those more than <c>maxPolicyLag</c> versions old; the
/// oldest first, the rest wait for the next update) and cut them into minibatches with <paramref name="Seed"/>;
/// answer <see cref="ShardReady"/>.
/// </summary>
public sealed record BeginShard(long Version, int Rank, int Seed, int Quota) : IWireMessage;

/// <summary>
/// Gradient worker → learner: what it took for the update: trials, faults, stale trials dropped, the sums of scores
/// and policy lags, each group's score sums and counts, and its advantage sums per minibatch step.
/// </summary>
public sealed record ShardReady(long Version, int Rank, int Trials, int Abandoned, int DroppedStale, double ScoreSum, double LagSum,
    double[] GroupScoreSums, int[] GroupTrials, AdvantageSums[] Sums) : IWireMessage;

/// <summary>
/// Learner → gradient workers: compute your part of minibatch step <paramref name="Step"/> at <paramref name="Parameters"/>
/// with the whole minibatch's <paramref name="Norm"/> and <paramref name="EntropyCoef"/>; answer <see cref="GradientComputed"/>.
/// </summary>
public sealed record ComputeGradient(long Version, int Step, float[] Parameters, MinibatchNorm Norm, double EntropyCoef) : IWireMessage;

/// <summary>Gradient worker → learner: its part's gradient of a minibatch step and its shares of the loss terms; <paramref name="Seconds"/> spent computing it.</summary>
public sealed record GradientComputed(long Version, int Rank, int Step, ShardGradient Gradient, double Seconds) : IWireMessage;

/// <summary>
/// Learner → run owner: the learner failed (its database has been away too long, a checkpoint could not be saved) and is
/// being restarted by its singleton manager. The run ends, as an in-process run whose learner fails does; it can resume.
/// </summary>
public sealed record LearnerFailed(string ActorPath, string Error) : IWireMessage;

/// <summary>Learner → node hosts: the run's last update is done; nodes leave the cluster and their processes exit 0.</summary>
public sealed record RunEnded(string Reason) : IWireMessage;

/// <summary>
/// Run owner → shard region: wake agent <paramref name="Index"/> (its entity starts on whichever node holds its
/// shard, and asks its node host where to begin).
/// </summary>
public sealed record WakeAgent(int Index) : IWireMessage;

/// <summary>Agent → its node host (node-local): I have started; tell me which trial to begin with once parameters are here.</summary>
public sealed record AgentReady(int Index) : INodeLocalMessage;

/// <summary>Learner → run owner: the cluster as the learner sees it, with every update's row (for metrics.csv and the progress line).</summary>
/// <param name="Nodes">Nodes serving agents.</param>
/// <param name="MinAgentsPerNode">Fewest agents on a node.</param>
/// <param name="MaxAgentsPerNode">Most agents on a node.</param>
/// <param name="RehomedAgents">Agent starts beyond each agent's first, over the run (agents of lost nodes, and rebalancing).</param>
/// <param name="GradientSeconds">Seconds the slowest worker spent computing gradients in the update (summed over its minibatch steps).</param>
/// <param name="AllReduceSeconds">The rest of the update's minibatch steps: sending parameters and gradients, summing them, Adam.</param>
/// <param name="WireBytes">Bytes serialized for other nodes so far, by every node (those of nodes that left included).</param>
public sealed record ClusterShape(int Nodes, int MinAgentsPerNode, int MaxAgentsPerNode, long RehomedAgents, double GradientSeconds,
    double AllReduceSeconds, long WireBytes = 0)
{
    public static readonly ClusterShape None = new(0, 0, 0, 0, 0, 0);

    /// <summary>Each node's part at the update, in address order (for the live dashboard; empty in rows of builds before it).</summary>
    public IReadOnlyList<NodeShape> PerNode { get; init; } = [];
}

/// <summary>One node's part of the population: the agents it hosts and the mean rows of its batchers' forward passes so far.</summary>
public sealed record NodeShape(string Node, int Agents, double MeanBatch);
