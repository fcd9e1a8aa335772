using Akka.Configuration;
using Akka.Hosting;

namespace MetaRL.Actors.Hosting;

/// <summary>
/// The Akka.NET settings a population needs, for Akka.Hosting (<see cref="AddMetaRlActors"/>) and for tests and
/// benches that create an <c>ActorSystem</c> themselves (<see cref="Config"/>).
/// </summary>
public static class MetaRlAkka
{
    /// <summary>
    /// The dispatcher of the inference batchers and the learner: Akka's <c>PinnedDispatcher</c>, one dedicated
    /// thread per actor. libtorch's intra-op thread count is per calling thread, so <c>torchThreads</c> is set
    /// once on each of these threads and holds there; agents and tasks stay on the default dispatcher.
    /// </summary>
    public const string ComputeDispatcher = "metarl.compute-dispatcher";

    /// <summary>
    /// HOCON: the compute dispatcher. Timers (an async batcher's <c>population.maxWaitMs</c> deadline) run on
    /// Akka's scheduler, whose tick is 10 ms (Akka refuses a finer one), so a deadline fires within one tick after it.
    /// </summary>
    public const string Hocon = """
        metarl.compute-dispatcher {
          type = PinnedDispatcher
          throughput = 100
        }
        # Replies still in flight to agents that stopped with their population are expected, not news.
        akka.log-dead-letters-during-shutdown = off
        # Akka's own console logger only speaks while the real loggers are not running (start, shutdown): warnings only.
        akka.stdout-loglevel = WARNING
        # What the learner persists (docs/architecture.md §4), in our own binary format with a checksum.
        # What crosses nodes in a clustered run, in our own binary wire format: no type names read from the wire.
        akka.actor {
          serializers.metarl-learner = "MetaRL.Actors.Persistence.LearnerSerializer, MetaRL.Actors"
          serializers.metarl-wire = "MetaRL.Actors.Cluster.ClusterSerializer, MetaRL.Actors"
          serialization-bindings {
            "MetaRL.Actors.Persistence.LearnerSnapshot, MetaRL.Actors" = metarl-learner
            "MetaRL.Actors.Learning.UpdateCompleted, MetaRL.Actors" = metarl-learner
            "MetaRL.Actors.IWireMessage, MetaRL.Actors" = metarl-wire
          }
          serialization-identifiers {
            "MetaRL.Actors.Persistence.LearnerSerializer, MetaRL.Actors" = 4141
            "MetaRL.Actors.Cluster.ClusterSerializer, MetaRL.Actors" = 4142
          }
        }
        # Without a database (tests, benches, a population without persistence): in memory.
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    /// <summary>The settings as an Akka <see cref="Akka.Configuration.Config"/> (falls back to Akka's defaults).</summary>
    public static Config Config => ConfigurationFactory.ParseString(Hocon);

    /// <summary>Adds the population's settings to an Akka.Hosting configuration.</summary>
    public static AkkaConfigurationBuilder AddMetaRlActors(this AkkaConfigurationBuilder builder) =>
        builder.AddHocon(Config, HoconAddMode.Prepend);
}
