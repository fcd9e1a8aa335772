using Akka.Cluster.Sharding;

namespace MetaRL.Actors.Cluster;

/// <summary>
/// How agents map to shards: entity id = the agent's index, shard = index mod <see cref="Shards"/>. The only message
/// addressed to an agent through its region is <see cref="WakeAgent"/>; sharding's own (remembered entities
/// restarting) it routes itself.
/// </summary>
public sealed class AgentShards(int shards) : IMessageExtractor
{
    /// <summary>About ten shards per node of the largest cluster a run expects, so a rebalance can even out load.</summary>
    public int Shards { get; } = shards > 0 ? shards : throw new ArgumentOutOfRangeException(nameof(shards), shards, "at least one shard");

    public string? EntityId(object message) => message switch
    {
        WakeAgent w => w.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    [Obsolete("Use ShardId(EntityId, object) instead.")]
    public string? ShardId(object message) => EntityId(message) is { } id ? ShardId(id) : null;

    public string ShardId(string entityId, object? messageHint = null) =>
        (int.Parse(entityId, System.Globalization.CultureInfo.InvariantCulture) % Shards).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
