namespace MetaRL.Runtime;

/// <summary>Tell without an explicit sender, Forward, Ask and GracefulStop, as in Akka.NET.</summary>
public static class ActorRefExtensions
{
    /// <summary>Tells with the current actor as sender (inside an actor), else the TestKit's test actor, else no sender.</summary>
    public static void Tell(this IActorRef receiver, object message) => receiver.Tell(message, ActorCell.CurrentSelfOrImplicit);

    /// <summary>Tells keeping the sender of the message being processed, so that the receiver replies to the original sender.</summary>
    public static void Forward(this IActorRef receiver, object message) => receiver.Tell(message, ActorCell.CurrentSender);

    /// <summary>
    /// Sends <paramref name="message"/> with a temporary sender and completes with the first reply: a
    /// <typeparamref name="T"/> (or <see cref="Status.Success"/> holding one) completes the task, a
    /// <see cref="Status.Failure"/> faults it with its cause, anything else faults it with InvalidCastException.
    /// No reply within <paramref name="timeout"/>: <see cref="AskTimeoutException"/>.
    /// </summary>
    public static Task<T> Ask<T>(this IActorRef receiver, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "an ask timeout must be positive or infinite");
        var promise = new PromiseActorRef<T>(receiver, message, timeout, cancellationToken);
        receiver.Tell(message, promise);
        return promise.Task;
    }

    /// <summary>Ask for a reply of any type.</summary>
    public static Task<object> Ask(this IActorRef receiver, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
        => receiver.Ask<object>(message, timeout, cancellationToken);

    /// <summary>
    /// Sends <paramref name="stopMessage"/> (PoisonPill by default) and completes with true once the actor has
    /// stopped, or false when it has not stopped within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout, object? stopMessage = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target is not IInternalActorRef t) throw new ArgumentException($"cannot stop {target}: it is not an actor of this runtime", nameof(target));
        var watcher = new StopWatcherRef(target);
        t.SendSystemMessage(new Watch(t, watcher));
        target.Tell(stopMessage ?? PoisonPill.Instance, null);
        try
        {
            return await watcher.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            t.SendSystemMessage(new Unwatch(t, watcher));
            return false;
        }
    }
}

/// <summary>The temporary sender of an Ask: the first message it gets completes the task.</summary>
internal sealed class PromiseActorRef<T> : IInternalActorRef
{
    private static long s_next;
    private readonly TaskCompletionSource<T> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IActorRef _target;
    private readonly long _id = Interlocked.Increment(ref s_next);
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationTokenRegistration _cancellation;

    public PromiseActorRef(IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _target = target;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _timer = new CancellationTokenSource(timeout);
            _timer.Token.UnsafeRegister(_ => Fail(new AskTimeoutException(
                $"Ask of {message.GetType().Name} to {target.Path} got no reply within {timeout.TotalMilliseconds:0} ms")), null);
        }
        if (cancellationToken.CanBeCanceled)
            _cancellation = cancellationToken.UnsafeRegister(_ => { if (_promise.TrySetCanceled(cancellationToken)) Cleanup(); }, null);
    }

    public Task<T> Task => _promise.Task;

    public ActorPath Path => ActorPath.Root(_target.Path.SystemName) / "temp" / ("$" + _id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Tell(object message, IActorRef? sender)
    {
        bool completed = message switch
        {
            Status.Failure f => _promise.TrySetException(f.Cause),
            T reply => _promise.TrySetResult(reply),
            Status.Success { Value: T value } => _promise.TrySetResult(value),
            _ => _promise.TrySetException(new InvalidCastException(
                $"Ask<{typeof(T).Name}> to {_target.Path} got a reply of type {message.GetType().Name}")),
        };
        if (completed) Cleanup();
    }

    public void SendSystemMessage(SystemMessage message) { }

    private void Fail(Exception e)
    {
        if (_promise.TrySetException(e)) Cleanup();
    }

    private void Cleanup()
    {
        _timer?.Dispose();
        _cancellation.Dispose();
    }

    public override string ToString() => $"[{Path}]";
}

/// <summary>Watches one actor for GracefulStop.</summary>
internal sealed class StopWatcherRef(IActorRef target) : IInternalActorRef
{
    private readonly TaskCompletionSource<bool> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<bool> Task => _stopped.Task;

    public ActorPath Path { get; } = ActorPath.Root(target.Path.SystemName) / "temp" / "$graceful-stop";

    public void Tell(object message, IActorRef? sender) { }

    public void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification) _stopped.TrySetResult(true);
    }
}
