namespace MetaRL.Actors.Inference;

/// <summary>
/// Agent → batcher: act on <see cref="Input"/> (the RL² input row) with <see cref="Memory"/>. Both arrays are
/// the agent's own, lent for the round trip: the batcher copies the input into its pinned batch buffer and
/// writes the new memory back into <see cref="Memory"/> before it replies, so a step allocates no buffers.
/// </summary>
/// <param name="AgentIndex">The agent's index in the population (its row order in lockstep batches).</param>
/// <param name="TrialIndex">How many trials the agent has completed; in lockstep it fixes the policy version the step must use.</param>
public sealed record ActRequest(int AgentIndex, int TrialIndex, float[] Input, float[] Memory);

/// <summary>Batcher → agent: the action drawn, its log-probability, the state value, and the policy version that chose it.</summary>
public sealed record ActReply(int Action, float LogProb, float Value, long PolicyVersion);

/// <summary>Learner → batchers: new parameters (a flat vector, shared read-only) and their version.</summary>
public sealed record ParametersUpdated(long Version, float[] Parameters);
