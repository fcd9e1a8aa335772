using System.Globalization;
using Microsoft.Extensions.Logging;

namespace MetaRL.Runtime;

/// <summary>
/// A named hierarchy of actors with its dispatchers, scheduler, event stream and dead letters. Top-level actors
/// live under <c>/user</c>. <see cref="Terminate"/> stops them (children before parents) and completes
/// <see cref="WhenTerminated"/> when everything has stopped.
/// </summary>
public sealed class ActorSystem : IDisposable
{
    private readonly ActorCell _root;
    private readonly ActorCell _user;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MessageDispatcher _defaultDispatcher;
    private readonly Dictionary<string, MessageDispatcher> _dispatchers = [];
    private readonly SystemScheduler? _ownScheduler;
    private int _nextUid;
    private int _terminating;
    private long _deadLetterCount;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        LoggerFactory = settings.LoggerFactory;
        RuntimeLog = LoggerFactory.CreateLogger("MetaRL.Runtime.ActorSystem");
        EventStream = new EventStream();
        Scheduler = settings.Scheduler ?? (_ownScheduler = new SystemScheduler(RuntimeLog));
        _defaultDispatcher = new ThreadPoolDispatcher(this, DispatcherIds.Default, settings.Throughput);
        DeadLetters = new DeadLetterActorRef(this);
        _root = new ActorCell(null, Props.Create(() => new Guardian(SupervisorStrategy.StoppingStrategy)), "", _defaultDispatcher, NextUid());
        _root.Start();
        _user = _root.MakeChild(Props.Create(() => new Guardian(settings.GuardianSupervisorStrategy)), "user");
        _root.MakeChild(Props.Create(() => new Guardian(SupervisorStrategy.DefaultStrategy)), "system");
    }

    /// <summary>Creates and starts a system. Names are letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"actor system name '{name}' must be letters, digits, '-' or '_', starting with a letter or digit", nameof(name));
        settings ??= new ActorSystemSettings();
        settings.Validate();
        return new ActorSystem(name, settings);
    }

    /// <summary>The system's name (the address of its paths: <c>metarl://name/user/…</c>).</summary>
    public string Name { get; }

    /// <summary>The settings it was created with.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>Where actors and the runtime log.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Publish/subscribe by type; dead letters and unhandled messages are published here.</summary>
    public EventStream EventStream { get; }

    /// <summary>Sends messages later; timers and receive timeouts run on it.</summary>
    public IScheduler Scheduler { get; }

    /// <summary>Where messages to stopped actors go: a ref whose messages are published as <see cref="DeadLetter"/>.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>Completes when the system has stopped every actor.</summary>
    public Task WhenTerminated => _terminated.Task;

    internal ILogger RuntimeLog { get; }

    internal ActorCell UserGuardianCell => _user;

    /// <summary>Creates a top-level actor under <c>/user</c>.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _user.MakeChild(props, name);

    /// <summary>Stops an actor (after the message it is processing; its queued messages go to dead letters).</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is ActorCell cell) cell.SendSystemMessage(new Terminate());
    }

    /// <summary>Stops all actors, children before parents, then completes <see cref="WhenTerminated"/>.</summary>
    public Task Terminate()
    {
        if (Interlocked.Exchange(ref _terminating, 1) == 0) _user.SendSystemMessage(new Terminate());
        return WhenTerminated;
    }

    /// <summary>Terminates and waits (up to 30 s) for the system to stop.</summary>
    public void Dispose()
    {
        if (!Terminate().Wait(TimeSpan.FromSeconds(30)))
            RuntimeLog.LogWarning("actor system {System} did not terminate within 30 s", Name);
    }

    public override string ToString() => $"ActorSystem({Name})";

    internal int NextUid() => Interlocked.Increment(ref _nextUid);

    internal MessageDispatcher Dispatcher(string id)
    {
        if (id == DispatcherIds.Default) return _defaultDispatcher;
        lock (_dispatchers)
        {
            if (_dispatchers.TryGetValue(id, out var d)) return d;
            if (!Settings.Dispatchers.TryGetValue(id, out var options))
                throw new ArgumentException($"no dispatcher '{id}': expected '{DispatcherIds.Default}' or one of ActorSystemSettings.Dispatchers ({string.Join(", ", Settings.Dispatchers.Keys)})");
            d = options.Threads == 0
                ? new ThreadPoolDispatcher(this, id, options.Throughput)
                : new DedicatedThreadsDispatcher(this, id, options.Throughput, options.Threads);
            _dispatchers[id] = d;
            return d;
        }
    }

    internal void SendDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        if (message is DeadLetter) return; // an event for a subscriber that died: do not loop
        long n = Interlocked.Increment(ref _deadLetterCount);
        if (n <= Settings.LogDeadLetters && RuntimeLog.IsEnabled(LogLevel.Information))
        {
            using (RuntimeLog.BeginScope(new ActorScope(recipient.Path.ToStringWithoutAddress())))
                RuntimeLog.LogInformation("message {MessageType} from {Sender} to {Recipient} was not delivered: dead letter {Count}{More}",
                    message.GetType().Name, sender?.Path.ToString() ?? "no sender", recipient.Path.ToString(), n.ToString(CultureInfo.InvariantCulture),
                    n == Settings.LogDeadLetters ? " (no more dead letters are logged)" : "");
        }
        EventStream.Publish(new DeadLetter(message, sender, recipient));
    }

    internal void PublishUnhandled(object message, IActorRef? sender, ActorCell recipient)
    {
        if (RuntimeLog.IsEnabled(LogLevel.Debug))
        {
            using (RuntimeLog.BeginScope(new ActorScope(recipient.Path.ToStringWithoutAddress())))
                RuntimeLog.LogDebug("unhandled message {MessageType} from {Sender}", message.GetType().Name, sender?.Path.ToString() ?? "no sender");
        }
        EventStream.Publish(new UnhandledMessage(message, sender, recipient));
    }

    internal void LogFailure(ActorCell child, Exception cause, Directive directive)
    {
        if (directive == Directive.Escalate) return; // logged where it is finally handled
        var level = directive == Directive.Resume ? LogLevel.Warning : LogLevel.Error;
        if (!RuntimeLog.IsEnabled(level)) return;
        using (RuntimeLog.BeginScope(new ActorScope(child.Path.ToStringWithoutAddress())))
            RuntimeLog.Log(level, cause, "{Path} failed with {ExceptionType}: {Message}; supervisor directive {Directive}",
                child.Path.ToStringWithoutAddress(), cause.GetType().Name, cause.Message, directive);
    }

    internal void LogActorError(ActorCell cell, Exception error, string what)
    {
        if (!RuntimeLog.IsEnabled(LogLevel.Error)) return;
        using (RuntimeLog.BeginScope(new ActorScope(cell.Path.ToStringWithoutAddress())))
            RuntimeLog.LogError(error, "{Path}: {What}", cell.Path.ToStringWithoutAddress(), what);
    }

    internal void OnRootFailure(Exception cause)
    {
        RuntimeLog.LogCritical(cause, "the root guardian of {System} failed; terminating", Name);
        _root.SendSystemMessage(new Terminate());
    }

    internal void OnRootTerminated()
    {
        _ownScheduler?.Dispose();
        lock (_dispatchers)
            foreach (var d in _dispatchers.Values) d.Dispose();
        _terminated.TrySetResult();
    }

    /// <summary>The actor behind /, /user and /system: handles nothing itself, supervises its children.</summary>
    private sealed class Guardian(SupervisorStrategy strategy) : ActorBase
    {
        protected override bool Receive(object message) => false;

        protected override SupervisorStrategy SupervisorStrategy() => strategy;
    }
}

/// <summary>The system's dead-letter ref: what it receives is published as <see cref="DeadLetter"/>.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system) : IInternalActorRef
{
    public ActorPath Path { get; } = ActorPath.Root(system.Name) / "deadLetters";

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        system.SendDeadLetter(message, sender, this);
    }

    public void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch w) w.Watcher.SendSystemMessage(new DeathWatchNotification(this));
    }

    public override string ToString() => $"[{Path}]";
}
