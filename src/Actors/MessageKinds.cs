namespace MetaRL.Actors;

/// <summary>
/// A per-step message (act request and reply, act, observed): it never leaves its node, and may lend the
/// receiver buffers that the sender still owns (an agent's input row and memory). Each node runs its own
/// batchers for its own agents, so these are never serialized (docs/architecture.md §2).
/// </summary>
public interface INodeLocalMessage;

/// <summary>
/// A message that may cross nodes once the population is clustered: completed trials, parameters, statistics,
/// control. Immutable, made of plain data (numbers, strings, arrays of numbers) that a registered binary
/// serializer can write without reading type names from the wire.
/// </summary>
public interface IWireMessage;
