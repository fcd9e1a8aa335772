namespace MetaRL.Runtime;

/// <summary>
/// A handle to an actor: the only way to talk to it. Refs compare by identity: two refs are equal when they
/// point at the same incarnation of an actor (a restarted actor keeps its ref; a stopped and re-created one
/// with the same name gets a new ref).
/// </summary>
public interface IActorRef
{
    /// <summary>Where the actor lives in the hierarchy, e.g. <c>/user/population/agent-17</c>.</summary>
    ActorPath Path { get; }

    /// <summary>Enqueues <paramref name="message"/> for the actor and returns at once (fire and forget).</summary>
    /// <param name="message">Any non-null object; messages should be immutable.</param>
    /// <param name="sender">What the receiver sees as <c>Sender</c>; null means no sender (dead letters).</param>
    void Tell(object message, IActorRef? sender);
}

/// <summary>The refs every actor system has, as in Akka.NET.</summary>
public static class ActorRefs
{
    /// <summary>"No sender": what <c>Tell(message, ActorRefs.NoSender)</c> passes. Replies go to dead letters.</summary>
    public static readonly IActorRef? NoSender;

    /// <summary>A ref that points nowhere; what <c>Context.Child(name)</c> returns for a missing child. Messages to it are dropped.</summary>
    public static readonly IActorRef Nobody = new NobodyRef();

    private sealed class NobodyRef : IActorRef
    {
        public ActorPath Path { get; } = ActorPath.Root("nobody");
        public void Tell(object message, IActorRef? sender) { }
        public override string ToString() => "Nobody";
    }
}

/// <summary>What the runtime needs from a ref beyond <see cref="IActorRef"/>: system messages (watch, stop, …).</summary>
internal interface IInternalActorRef : IActorRef
{
    /// <summary>Delivers a system message (never dropped silently: a dead target answers Watch with a notification).</summary>
    void SendSystemMessage(SystemMessage message);
}
