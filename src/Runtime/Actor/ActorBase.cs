using Microsoft.Extensions.Logging;

namespace MetaRL.Runtime;

/// <summary>A behaviour: handles a message and says whether it did (unhandled messages are published).</summary>
public delegate bool Receive(object message);

/// <summary>
/// The base of every actor. An actor is created by the runtime from <see cref="Props"/> (never with <c>new</c>
/// elsewhere), processes one message at a time, and reaches other actors only through <see cref="IActorRef"/>s.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;
    private Receive? _behavior; // null: the actor's own Receive; Become replaces it

    protected ActorBase()
    {
        _cell = ActorCell.TakeConstructing()
            ?? throw new ActorInitializationException(null,
                $"{GetType().Name} was created with 'new'; actors are created by ActorOf(Props.Create(...)) so that the runtime can run them");
    }

    /// <summary>The actor's context: children, watch, stop, receive timeout, logging.</summary>
    protected IActorContext Context => _cell;

    /// <summary>This actor's ref.</summary>
    protected IActorRef Self => _cell;

    /// <summary>The sender of the message being processed (dead letters when there was none).</summary>
    protected IActorRef Sender => _cell.Sender;

    /// <summary>The actor's stash: set the current message aside and take it back later (survives Become; unstashed on restart).</summary>
    protected IStash Stash => _cell;

    /// <summary>Timers owned by this actor, cancelled when it stops or restarts.</summary>
    protected ITimerScheduler Timers => _cell.Timers;

    /// <summary>A logger whose entries carry this actor's path in their scope.</summary>
    protected ILogger Log => _cell.GetLogger();

    /// <summary>Handles one message; returns false when it was not handled (then <see cref="Unhandled"/> runs).</summary>
    protected abstract bool Receive(object message);

    /// <summary>
    /// Called for a message no handler took. The default publishes an <see cref="UnhandledMessage"/>, except for
    /// <see cref="Terminated"/>, which throws <see cref="DeathPactException"/> (a watcher that ignores a death dies with it).
    /// </summary>
    protected virtual void Unhandled(object message) => _cell.PublishUnhandled(message);

    /// <summary>Runs before the first message (and, by default, after a restart).</summary>
    protected virtual void PreStart() { }

    /// <summary>Runs once when the actor has stopped (its children have stopped before).</summary>
    protected virtual void PostStop() { }

    /// <summary>Runs on the failed instance before a restart. The default stops the children and calls <see cref="PostStop"/>.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children) Context.Stop(child);
        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart. The default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor supervises its children; by default the Props' strategy or <see cref="Runtime.SupervisorStrategy.DefaultStrategy"/>.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy()
        => _cell.Props.SupervisorStrategy ?? Runtime.SupervisorStrategy.DefaultStrategy;

    /// <summary>Replaces the current behaviour (the stack below it stays).</summary>
    protected void Become(Receive receive) => _cell.Become(this, receive, discardOld: true);

    /// <summary>Pushes a behaviour; <see cref="UnbecomeStacked"/> returns to the one before.</summary>
    protected void BecomeStacked(Receive receive) => _cell.Become(this, receive, discardOld: false);

    /// <summary>Returns to the behaviour before the last <see cref="BecomeStacked"/> (or to the initial one).</summary>
    protected void UnbecomeStacked() => _cell.Unbecome(this);

    /// <summary>Same as <see cref="UnbecomeStacked"/>.</summary>
    protected void Unbecome() => _cell.Unbecome(this);

    /// <summary>
    /// Runs an async function inside the actor: code after each <c>await</c> runs on the actor (Self, Sender and
    /// Context stay valid), and the next message waits until the task has completed. An exception fails the actor.
    /// </summary>
    protected void RunTask(Func<Task> action) => _cell.RunTask(action);

    internal ActorCell Cell => _cell;

    // The runtime's calls into the hooks: the hooks are plain `protected` so that every assembly overrides them
    // the same way (a `protected internal` hook would need `protected internal override` in friend assemblies).
    internal void InvokePreStart() => PreStart();
    internal void InvokePostStop() => PostStop();
    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);
    internal void InvokePostRestart(Exception reason) => PostRestart(reason);
    internal SupervisorStrategy InvokeSupervisorStrategy() => SupervisorStrategy();

    internal Receive? Behavior
    {
        get => _behavior;
        set => _behavior = value;
    }

    /// <summary>The runtime's entry: the current behaviour, then Unhandled.</summary>
    internal void Dispatch(object message)
    {
        var behavior = _behavior;
        if (!(behavior is null ? Receive(message) : behavior(message))) Unhandled(message);
    }
}

/// <summary>A behaviour of an <see cref="UntypedActor"/>: handles every message (call Unhandled for the ones it does not want).</summary>
public delegate void UntypedReceive(object message);

/// <summary>An actor with one <see cref="OnReceive"/> method that sees every message, as Akka.NET's UntypedActor.</summary>
public abstract class UntypedActor : ActorBase
{
    /// <summary>Handles a message; call <see cref="ActorBase.Unhandled"/> for messages it does not understand.</summary>
    protected abstract void OnReceive(object message);

    protected sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Replaces OnReceive by <paramref name="receive"/> until the next Become.</summary>
    protected void Become(UntypedReceive receive) => Become(m => { receive(m); return true; });

    /// <summary>Pushes <paramref name="receive"/>; UnbecomeStacked returns to the one before.</summary>
    protected void BecomeStacked(UntypedReceive receive) => BecomeStacked(m => { receive(m); return true; });
}
