using System.Globalization;

namespace MetaRL.Actors.Cluster;

/// <summary>Akka.Remote over TLS (DotNetty's SSL): a PKCS#12 certificate that every node presents and accepts.</summary>
/// <param name="CertificatePath">The .pfx file, with its private key.</param>
/// <param name="Password">Its password (null: none).</param>
/// <param name="SuppressValidation">Accept a certificate no authority vouches for (a self-signed one shared by the nodes).</param>
public sealed record TlsOptions(string CertificatePath, string? Password, bool SuppressValidation = true);

/// <summary>Where a node listens and how it talks to the others.</summary>
/// <param name="Host">The address remoting binds to and other nodes reach it at: loopback unless a host is given.</param>
/// <param name="Port">The port (0: any free one).</param>
/// <param name="Tls">Akka.Remote over TLS; null: plain TCP (fine on loopback and trusted networks).</param>
/// <param name="StableAfter">How long membership must be still before the split-brain resolver downs unreachable nodes.</param>
public sealed record ClusterOptions(string Host = "127.0.0.1", int Port = 0, TlsOptions? Tls = null, TimeSpan? StableAfter = null)
{
    /// <summary>The default <see cref="StableAfter"/>: short, so that a crashed node's agents run elsewhere within seconds.</summary>
    public static readonly TimeSpan DefaultStableAfter = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The Akka.Cluster settings of a clustered run (docs/architecture.md §5), on top of <see cref="Hosting.MetaRlAkka.Hocon"/>:
/// the cluster provider, remoting (with frames large enough for a model's parameters and gradients), the split-brain
/// resolver (keep-majority) that downs a crashed node on its own, and sharding with remembered entities in
/// distributed data (in memory: the run lives as long as its seed), so that the agents of a lost node start again
/// on the survivors and a joining node takes shards at the next rebalance.
/// </summary>
public static class MetaRlCluster
{
    /// <summary>The actor system's name on every node of a run (Akka addresses include it).</summary>
    public const string SystemName = "metarl";

    /// <summary>Sharding's type name for agents.</summary>
    public const string AgentTypeName = "agent";

    /// <summary>The learner singleton's manager, at /user/learner on every node.</summary>
    public const string LearnerManagerName = "learner";

    /// <summary>Largest message remoting carries: a model's parameters or gradient with room to spare.</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    /// <summary>The protocol of a node's Akka address: <c>akka.ssl.tcp</c> over TLS, else <c>akka.tcp</c>.</summary>
    public static string Protocol(ClusterOptions o) => o.Tls is null ? "akka.tcp" : "akka.ssl.tcp";

    /// <summary>The role of nodes that may host the learner singleton (every node, unless the seed is started with <c>--no-learner</c>).</summary>
    public const string LearnerRole = "learner";

    /// <summary>The node's roles: <see cref="LearnerRole"/> when it may host the learner.</summary>
    public static string Roles(bool hostsLearner) => $"akka.cluster.roles = [{(hostsLearner ? "\"" + LearnerRole + "\"" : "")}]";

    /// <summary>
    /// <see cref="Hocon"/> with the reference settings of sharding, singletons and distributed data as fallbacks, so their
    /// serializers exist from the start (a peer's replicator may write to this node before its sharding has started).
    /// </summary>
    public static Akka.Configuration.Config Config(ClusterOptions o) =>
        Akka.Configuration.ConfigurationFactory.ParseString(Hocon(o))
            .WithFallback(Akka.Cluster.Sharding.ClusterSharding.DefaultConfig())
            .WithFallback(Akka.Cluster.Tools.Singleton.ClusterSingleton.DefaultConfig())
            .WithFallback(Akka.DistributedData.DistributedData.DefaultConfig());

    public static string Hocon(ClusterOptions o)
    {
        string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var stable = (o.StableAfter ?? ClusterOptions.DefaultStableAfter).TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
        var tls = o.Tls is { } t
            ? $$"""
              enable-ssl = on
              ssl {
                suppress-validation = {{(t.SuppressValidation ? "on" : "off")}}
                certificate {
                  path = {{Quote(t.CertificatePath)}}
                  password = {{Quote(t.Password ?? "")}}
                }
              }
              """
            : "enable-ssl = off";
        return $$"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp {
              hostname = {{Quote(o.Host)}}
              port = {{o.Port}}
              maximum-frame-size = {{MaxFrameBytes}}b
              send-buffer-size = {{MaxFrameBytes}}b
              receive-buffer-size = {{MaxFrameBytes}}b
              {{tls}}
            }
            # Nodes come and go by design (a run's end, a crash the resolver handles): Akka's association warnings would
            # only repeat what the membership lines say.
            akka.remote.log-remote-lifecycle-events = off
            # A node leaving at the run's end hands the learner over only if another may host it; when none is left it
            # would wait the default 10 s for a taker.
            akka.coordinated-shutdown.phases.cluster-exiting.timeout = 3s
            akka.cluster {
              # The proxy's own identification warning fires spuriously while the first learner starts; the learner logs its nodes.
              singleton-proxy.log-singleton-identification-failure = off
              downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
              split-brain-resolver {
                active-strategy = keep-majority
                stable-after = {{stable}}ms
              }
              # Joining and leaving are printed by the commands themselves; Akka's own lines go to log.txt.
              log-info-verbose = off
              sharding {
                remember-entities = on
                remember-entities-store = ddata
                state-store-mode = ddata
                distributed-data.durable.keys = []
                rebalance-interval = 2s
                least-shard-allocation-strategy.rebalance-absolute-limit = 50
                least-shard-allocation-strategy.rebalance-relative-limit = 0.5
                handoff-timeout = 10s
                entity-restart-backoff = 1s
                shard-failure-backoff = 1s
                coordinator-failure-backoff = 1s
              }
            }
            """;
    }
}
