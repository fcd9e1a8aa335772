using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetaRL.Runtime;

/// <summary>Settings of an <see cref="ActorSystem"/>; every field has a working default.</summary>
public sealed record ActorSystemSettings
{
    /// <summary>Messages an actor of the default dispatcher processes per turn before yielding its worker (Akka's default: 30).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>Where actors and the runtime log; each entry carries the actor path in its scope.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The scheduler behind ScheduleTell*, timers and receive timeouts; null: a real-time one. Tests pass a <c>TestScheduler</c>.</summary>
    public IScheduler? Scheduler { get; init; }

    /// <summary>Extra dispatchers by id, used through <see cref="Props.WithDispatcher"/>.</summary>
    public IReadOnlyDictionary<string, DispatcherOptions> Dispatchers { get; init; } = new Dictionary<string, DispatcherOptions>();

    /// <summary>How many dead letters are logged (at Information) before the runtime goes quiet about them; they are always published.</summary>
    public int LogDeadLetters { get; init; } = 10;

    /// <summary>How the <c>/user</c> guardian supervises top-level actors.</summary>
    public SupervisorStrategy GuardianSupervisorStrategy { get; init; } = SupervisorStrategy.DefaultStrategy;

    internal void Validate()
    {
        if (Throughput < 1) throw new ArgumentOutOfRangeException(nameof(Throughput), Throughput, "throughput must be at least 1");
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        ArgumentNullException.ThrowIfNull(Dispatchers);
        ArgumentNullException.ThrowIfNull(GuardianSupervisorStrategy);
        foreach (var (id, d) in Dispatchers)
        {
            if (d.Throughput < 1) throw new ArgumentOutOfRangeException(nameof(Dispatchers), d.Throughput, $"dispatcher '{id}' throughput must be at least 1");
            if (d.Threads < 0) throw new ArgumentOutOfRangeException(nameof(Dispatchers), d.Threads, $"dispatcher '{id}' threads must be 0 (shared pool) or more");
        }
    }
}
