namespace MetaRL.Actors.Inference;

/// <summary>
/// Agent → batcher: act on <see cref="Input"/> (the RL² input row) with <see cref="Memory"/>. Node-local: both
/// arrays are the agent's own, lent for the round trip. The batcher copies them into its pinned batch buffers
/// and writes the new memory back into <see cref="Memory"/> before it replies, so a step allocates no buffers.
/// </summary>
/// <param name="AgentIndex">The agent's index in the population (its row order in lockstep batches).</param>
/// <param name="TrialIndex">The trial's index in the agent's life (it counts across resumes); in lockstep it fixes the policy version the step must use.</param>
/// <param name="Step">The step's index within the trial; with the agent and trial it keys the action's random draw.</param>
public sealed record ActRequest(int AgentIndex, int TrialIndex, float[] Input, float[] Memory, int Step = 0) : INodeLocalMessage;

/// <summary>
/// Batcher → agent (node-local): the action drawn (an index; for Box actions the Gaussian head's normalised
/// <paramref name="Vector"/>), its log-probability, the state value, and the policy version that chose it.
/// </summary>
public sealed record ActReply(int Action, float LogProb, float Value, long PolicyVersion, float[]? Vector = null) : INodeLocalMessage;

/// <summary>
/// Population → agent (node-local): your batcher restarted and lost the requests it held; if you are waiting
/// for a reply, send your request again (the batcher ignores a second request of an agent it already holds).
/// </summary>
public sealed record ResendActRequest : INodeLocalMessage
{
    public static readonly ResendActRequest Instance = new();
}

/// <summary>Learner → batchers: new parameters (a flat vector, shared read-only) and their version.</summary>
public sealed record ParametersUpdated(long Version, float[] Parameters) : IWireMessage;

/// <summary>Batcher → its parent: I was restarted after a failure and hold no requests and no parameters.</summary>
public sealed record BatcherRestarted(int BatcherIndex, string Reason) : INodeLocalMessage;

/// <summary>Anyone → batcher: reply with a <see cref="BatcherStatus"/>.</summary>
public sealed record GetBatcherStatus : IWireMessage
{
    public static readonly GetBatcherStatus Instance = new();
}

/// <summary>A batcher's state now: requests it holds (waiting for a full round, a deadline or a policy version) and the version it has loaded (−1: none yet).</summary>
public sealed record BatcherStatus(int BatcherIndex, int PendingRequests, long PolicyVersion) : IWireMessage;

/// <summary>
/// Node host → batcher (node-local): you now serve <paramref name="Agents"/> agents of this node (sharded agents come and
/// go). An async batch runs once that many requests are in (or <c>maxBatch</c>, or the deadline), so a node that holds
/// a share of the population does not wait out the deadline for agents that live elsewhere.
/// </summary>
public sealed record AgentsServed(int Agents) : INodeLocalMessage;
