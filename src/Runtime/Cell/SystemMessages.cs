namespace MetaRL.Runtime;

/// <summary>
/// Messages between the runtime's parts (stop, supervise, watch). They travel in a separate lock-free list
/// that an actor drains before its user messages; each message is its own list node.
/// </summary>
internal abstract class SystemMessage
{
    /// <summary>Next in the owner's system-message list (written before the message is published).</summary>
    public SystemMessage? Next;
}

/// <summary>Marks a dead actor's system list: pushes after death are answered as for a dead actor.</summary>
internal sealed class ClosedMarker : SystemMessage
{
    public static readonly ClosedMarker Instance = new();
}

/// <summary>Stop: stop the children, wait for them, PostStop, tell the parent and the watchers.</summary>
internal sealed class Terminate : SystemMessage;

/// <summary>Parent → child after a failure: continue with the same instance and the next message.</summary>
internal sealed class Resume : SystemMessage;

/// <summary>Parent → child after a failure: PreRestart the old instance, make a new one, PostRestart it.</summary>
internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

/// <summary>Child → parent: the child threw <see cref="Cause"/> and waits (suspended) for a directive.</summary>
internal sealed class Failed(ActorCell child, Exception cause) : SystemMessage
{
    public ActorCell Child { get; } = child;
    public Exception Cause { get; } = cause;
}

/// <summary>Child → parent: the child has stopped (PostStop done); the parent forgets it.</summary>
internal sealed class ChildTerminated(ActorCell child) : SystemMessage
{
    public ActorCell Child { get; } = child;
}

/// <summary>Watcher → watchee: tell <see cref="Watcher"/> when you stop (at once if you already have).</summary>
internal sealed class Watch(IInternalActorRef watchee, IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watchee { get; } = watchee;
    public IInternalActorRef Watcher { get; } = watcher;
}

/// <summary>Watcher → watchee: forget <see cref="Watcher"/>.</summary>
internal sealed class Unwatch(IInternalActorRef watchee, IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watchee { get; } = watchee;
    public IInternalActorRef Watcher { get; } = watcher;
}

/// <summary>Watchee → watcher: <see cref="Actor"/> has stopped.</summary>
internal sealed class DeathWatchNotification(IActorRef actor) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
}

/// <summary>A continuation of an actor's async handler, posted by its synchronization context; runs inside the actor.</summary>
internal sealed class AsyncContinuation(SendOrPostCallback callback, object? state) : SystemMessage
{
    public SendOrPostCallback Callback { get; } = callback;
    public object? State { get; } = state;
}

/// <summary>The async handler's task has completed; the actor takes its next message (or fails).</summary>
internal sealed class AsyncCompleted(Task task) : SystemMessage
{
    public Task Task { get; } = task;
}
