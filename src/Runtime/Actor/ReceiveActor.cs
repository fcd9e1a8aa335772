namespace MetaRL.Runtime;

/// <summary>
/// An actor that declares typed handlers in its constructor, as Akka.NET's ReceiveActor:
/// <c>Receive&lt;Ping&gt;(p =&gt; Sender.Tell(new Pong()))</c>. The first handler whose type (and predicate) matches
/// takes the message; a message nobody takes goes to Unhandled.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    // The initial behaviour's handlers live inline (no extra object per actor); Become builds a HandlerSet.
    private Handler[] _handlers = [];
    private int _count;
    private HandlerSet? _configuring; // non-null while a Become's configure action registers handlers

    /// <summary>Handles messages of type <typeparamref name="T"/> (that pass <paramref name="shouldHandle"/>).</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new ActionHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) => Receive(handler, shouldHandle);

    /// <summary>Offers messages of type <typeparamref name="T"/> to <paramref name="handler"/>, which returns whether it took it.</summary>
    protected void Receive<T>(Func<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new FuncHandler<T>(handler));
    }

    /// <summary>
    /// Handles messages of type <typeparamref name="T"/> asynchronously: code after each await runs inside the actor
    /// and the next message waits until the task completes, so messages are still processed one at a time, in order.
    /// </summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new AsyncHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles every message not taken by an earlier handler.</summary>
    protected void ReceiveAny(Action<object> handler) => Receive(handler);

    /// <summary>Handles every message not taken by an earlier handler, asynchronously (see <see cref="ReceiveAsync{T}"/>).</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => ReceiveAsync(handler);

    /// <summary>Replaces the behaviour by the handlers that <paramref name="configure"/> registers.</summary>
    protected void Become(Action configure) => Become(Configure(configure).TryHandle);

    /// <summary>Pushes the handlers that <paramref name="configure"/> registers; UnbecomeStacked returns to the ones before.</summary>
    protected void BecomeStacked(Action configure) => BecomeStacked(Configure(configure).TryHandle);

    protected sealed override bool Receive(object message)
    {
        var handlers = _handlers;
        for (int i = 0; i < _count; i++)
            if (handlers[i].TryHandle(this, message)) return true;
        return false;
    }

    private HandlerSet Configure(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var set = new HandlerSet(this);
        var previous = _configuring;
        _configuring = set;
        try { configure(); }
        finally { _configuring = previous; }
        return set;
    }

    private void Add(Handler handler)
    {
        if (_configuring is { } set)
        {
            set.Add(handler);
            return;
        }
        if (_count == _handlers.Length) Array.Resize(ref _handlers, Math.Max(1, _count * 2));
        _handlers[_count++] = handler;
    }

    private void RunAsyncHandler(Func<Task> run) => RunTask(run);

    /// <summary>The handlers of one Become.</summary>
    private sealed class HandlerSet(ReceiveActor owner)
    {
        private readonly List<Handler> _handlers = [];

        public void Add(Handler handler) => _handlers.Add(handler);

        public bool TryHandle(object message)
        {
            foreach (var h in _handlers)
                if (h.TryHandle(owner, message)) return true;
            return false;
        }
    }

    private abstract class Handler
    {
        public abstract bool TryHandle(ReceiveActor owner, object message);
    }

    private sealed class ActionHandler<T>(Action<T> action, Predicate<T>? predicate) : Handler
    {
        public override bool TryHandle(ReceiveActor owner, object message)
        {
            if (message is not T m || (predicate is not null && !predicate(m))) return false;
            action(m);
            return true;
        }
    }

    private sealed class FuncHandler<T>(Func<T, bool> func) : Handler
    {
        public override bool TryHandle(ReceiveActor owner, object message) => message is T m && func(m);
    }

    private sealed class AsyncHandler<T>(Func<T, Task> func, Predicate<T>? predicate) : Handler
    {
        public override bool TryHandle(ReceiveActor owner, object message)
        {
            if (message is not T m || (predicate is not null && !predicate(m))) return false;
            owner.RunAsyncHandler(() => func(m));
            return true;
        }
    }
}
