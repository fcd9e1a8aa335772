namespace MetaRL.Runtime;

/// <summary>An actor's constructor or PreStart threw. The default supervisor stops such an actor.</summary>
public sealed class ActorInitializationException : Exception
{
    public ActorInitializationException(IActorRef? actor, string message, Exception? cause = null) : base(message, cause) => Actor = actor;

    /// <summary>The actor that failed to start.</summary>
    public IActorRef? Actor { get; }
}

/// <summary>Thrown inside an actor that processed <see cref="Kill"/>; the default supervisor stops it.</summary>
public sealed class ActorKilledException : Exception
{
    public ActorKilledException(string message) : base(message) { }
}

/// <summary>An actor watched another one and did not handle its <see cref="Terminated"/>; the default supervisor stops it.</summary>
public sealed class DeathPactException : Exception
{
    public DeathPactException(IActorRef deadActor)
        : base($"actor {deadActor.Path} terminated and the watcher did not handle Terminated") => DeadActor = deadActor;

    /// <summary>The watched actor that stopped.</summary>
    public IActorRef DeadActor { get; }
}

/// <summary>An <c>Ask</c> got no reply within its timeout.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    public AskTimeoutException(string message) : base(message) { }
}

/// <summary>An actor name was empty, had a '/' or a reserved '$' prefix, or is already taken by a sibling.</summary>
public sealed class InvalidActorNameException : ArgumentException
{
    public InvalidActorNameException(string message) : base(message) { }
}
