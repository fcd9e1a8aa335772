namespace MetaRL.Runtime;

/// <summary>Watch / Unwatch: Terminated exactly once, also for an actor that was already dead.</summary>
internal sealed partial class ActorCell
{
    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject is not IInternalActorRef target)
            throw new ArgumentException($"cannot watch {subject}: it is not an actor of this runtime", nameof(subject));
        if (ReferenceEquals(subject, this)) return subject;
        if ((Extras.Watching ??= new HashSet<IInternalActorRef>(ReferenceEqualityComparer.Instance)).Add(target))
            target.SendSystemMessage(new Watch(target, this));
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject is IInternalActorRef target && _extras is { } x)
        {
            if (x.Watching?.Remove(target) == true) target.SendSystemMessage(new Unwatch(target, this));
            x.TerminatedQueued?.Remove(subject); // a Terminated already queued is dropped
        }
        return subject;
    }

    private void HandleWatch(Watch watch)
    {
        if (!ReferenceEquals(watch.Watchee, this) || ReferenceEquals(watch.Watcher, this)) return;
        (Extras.WatchedBy ??= new HashSet<IInternalActorRef>(ReferenceEqualityComparer.Instance)).Add(watch.Watcher);
    }

    private void HandleUnwatch(Unwatch unwatch)
    {
        if (ReferenceEquals(unwatch.Watchee, this)) _extras?.WatchedBy?.Remove(unwatch.Watcher);
    }

    private void HandleDeathWatchNotification(IActorRef actor)
    {
        if (actor is not IInternalActorRef target || _extras?.Watching?.Remove(target) != true) return; // unwatched, or a duplicate
        if ((_state & (CellState.Terminating | CellState.Terminated)) != 0) return;
        (_extras.TerminatedQueued ??= new HashSet<IActorRef>(ReferenceEqualityComparer.Instance)).Add(actor);
        // As a user message, behind everything the dead actor sent before it died.
        TellInternal(new Terminated(actor), actor);
    }
}
