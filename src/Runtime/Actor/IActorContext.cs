using Microsoft.Extensions.Logging;

namespace MetaRL.Runtime;

/// <summary>What an actor can do about itself while it processes a message (Akka.NET's IActorContext).</summary>
public interface IActorContext
{
    /// <summary>This actor.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the current message (dead letters when there was none).</summary>
    IActorRef Sender { get; }

    /// <summary>The actor that created this one (a guardian for top-level actors).</summary>
    IActorRef Parent { get; }

    /// <summary>The live children, as a snapshot.</summary>
    IReadOnlyCollection<IActorRef> Children { get; }

    /// <summary>The system this actor belongs to.</summary>
    ActorSystem System { get; }

    /// <summary>The props this actor was created from.</summary>
    Props Props { get; }

    /// <summary>The child with this name, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>Creates a child; <paramref name="name"/> must be unique among the live children (null: a generated "$…" name).</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops a child or this actor (after the current message). Messages still queued go to dead letters.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> once when <paramref name="subject"/> stops (at once if it already has).</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Stops watching; a <see cref="Terminated"/> not yet processed is dropped.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Sends <see cref="Runtime.ReceiveTimeout"/> after this much time without messages; null turns it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    /// <summary>The current receive timeout, if any.</summary>
    TimeSpan? ReceiveTimeout { get; }

    /// <summary>Replaces (or, with discardOld false, pushes) the actor's behaviour.</summary>
    void Become(Receive receive, bool discardOld = true);

    /// <summary>Pops the behaviour pushed last.</summary>
    void UnbecomeStacked();

    /// <summary>A logger whose entries carry this actor's path in their scope.</summary>
    ILogger GetLogger();
}

/// <summary>An actor's stash (Akka.NET's IStash): set messages aside, take them back in order.</summary>
public interface IStash
{
    /// <summary>Sets the current message aside (once per message).</summary>
    void Stash();

    /// <summary>Puts the oldest stashed message back at the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Puts every stashed message back at the front of the mailbox, oldest first.</summary>
    void UnstashAll();

    /// <summary>Puts back the stashed messages that pass <paramref name="predicate"/>; the others stay stashed.</summary>
    void UnstashAll(Func<Envelope, bool> predicate);

    /// <summary>Empties the stash and returns what it held.</summary>
    IReadOnlyList<Envelope> ClearStash();

    /// <summary>Number of stashed messages.</summary>
    int Count { get; }
}
