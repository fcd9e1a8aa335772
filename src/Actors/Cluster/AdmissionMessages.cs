using Akka.Actor;

namespace MetaRL.Actors.Cluster;

/// <summary>
/// A node that wants to join → the seed's <see cref="Gatekeeper"/>, from a short-lived bootstrap actor system: I will
/// join from <paramref name="Address"/>; <paramref name="RunId"/>, when given, is the run I expect.
/// </summary>
public sealed record JoinRequest(string Address, string? RunId) : IWireMessage;

/// <summary>Gatekeeper → node: prove you hold the cluster's secret by returning the HMAC of this nonce (see <see cref="JoinSecret"/>).</summary>
public sealed record JoinChallenge(byte[] Nonce, string RunId) : IWireMessage;

/// <summary>Node → gatekeeper: HMAC-SHA256 of the challenge under the shared secret.</summary>
public sealed record JoinProof(byte[] Nonce, byte[] Mac) : IWireMessage;

/// <summary>
/// Gatekeeper → node: admitted. Everything the node builds its part of the run from: the run's id, its config
/// (JSON, as the seed runs it, without secrets), the run's SQLite file (empty with PostgreSQL: the config names the
/// database; either way the learner singleton may come to live on this node)
/// and the run owner on the seed (whose end or loss ends the node).
/// </summary>
public sealed record JoinAdmitted(string RunId, string Config, string SqliteFile, IActorRef Owner) : IWireMessage;

/// <summary>Gatekeeper → node: refused, and why (the seed logs the same line).</summary>
public sealed record JoinRefused(string Reason) : IWireMessage;
