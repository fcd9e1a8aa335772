namespace MetaRL.Runtime;

/// <summary>
/// Messages the runtime handles itself when an actor dequeues them, before the actor's own receive.
/// Users cannot derive new ones.
/// </summary>
public abstract record AutoReceivedMessage
{
    private protected AutoReceivedMessage() { }
}

/// <summary>Stops the actor when it reaches the front of the mailbox: messages queued before it are processed first.</summary>
public sealed record PoisonPill : AutoReceivedMessage
{
    private PoisonPill() { }

    /// <summary>The one instance.</summary>
    public static PoisonPill Instance { get; } = new();
}

/// <summary>Makes the actor throw <see cref="ActorKilledException"/> when it is processed; the default supervisor stops it.</summary>
public sealed record Kill : AutoReceivedMessage
{
    private Kill() { }

    /// <summary>The one instance.</summary>
    public static Kill Instance { get; } = new();
}

/// <summary>
/// Delivered (once) to an actor that watches <paramref name="ActorRef"/> when it has stopped, also when it was
/// already dead at the time of <c>Watch</c>. Arrives after every message the dead actor sent to the watcher.
/// </summary>
public sealed record Terminated(IActorRef ActorRef) : AutoReceivedMessage;

/// <summary>Sent to an actor that has received nothing for its <c>Context.SetReceiveTimeout</c> period.</summary>
public sealed record ReceiveTimeout
{
    private ReceiveTimeout() { }

    /// <summary>The one instance.</summary>
    public static ReceiveTimeout Instance { get; } = new();
}

/// <summary>Replies that complete or fail an <c>Ask</c>, as in Akka.NET.</summary>
public static class Status
{
    /// <summary>A successful reply carrying <paramref name="Value"/>.</summary>
    public sealed record Success(object? Value);

    /// <summary>A failed reply: the asker's task faults with <paramref name="Cause"/>.</summary>
    public sealed record Failure(Exception Cause);
}

/// <summary>A message with its sender, as held in a mailbox or a stash and handed to batching actors.</summary>
public readonly record struct Envelope(object Message, IActorRef? Sender);
