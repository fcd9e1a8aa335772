using Microsoft.Extensions.Logging;

namespace MetaRL.Runtime;

/// <summary>The rest of <see cref="IActorContext"/> and the stash.</summary>
internal sealed partial class ActorCell : IStash
{
    public void Become(Receive receive, bool discardOld = true)
    {
        var actor = _actor ?? throw new InvalidOperationException($"{Path.ToStringWithoutAddress()} has no running instance");
        Become(actor, receive, discardOld);
    }

    internal void Become(ActorBase actor, Receive receive, bool discardOld)
    {
        ArgumentNullException.ThrowIfNull(receive);
        if (!discardOld) (Extras.BehaviorStack ??= []).Add(actor.Behavior);
        actor.Behavior = receive;
    }

    public void UnbecomeStacked()
    {
        if (_actor is { } actor) Unbecome(actor);
    }

    internal void Unbecome(ActorBase actor)
    {
        if (_extras?.BehaviorStack is { Count: > 0 } stack)
        {
            actor.Behavior = stack[^1];
            stack.RemoveAt(stack.Count - 1);
        }
        else actor.Behavior = null;
    }

    public ILogger GetLogger()
    {
        var x = Extras;
        return x.Logger ??= new ActorLogger(System.LoggerFactory.CreateLogger(_props.ActorType.FullName ?? _props.ActorType.Name), Path.ToStringWithoutAddress());
    }

    internal void PublishUnhandled(object message)
    {
        if (message is Terminated t) throw new DeathPactException(t.ActorRef);
        System.PublishUnhandled(message, _sender, this);
    }

    // Stash ------------------------------------------------------------------------------------------------

    void IStash.Stash()
    {
        var message = _message ?? throw new InvalidOperationException($"Stash() of {Path.ToStringWithoutAddress()} must be called while it processes a message");
        var stash = Extras.Stash ??= [];
        if (stash.Count > 0 && ReferenceEquals(stash[^1].Message, message) && ReferenceEquals(stash[^1].Sender, _sender))
            throw new InvalidOperationException($"{Path.ToStringWithoutAddress()} stashed the same message twice");
        stash.Add(new Envelope(message, _sender));
    }

    void IStash.Unstash()
    {
        if (_extras?.Stash is not { Count: > 0 } stash) return;
        var first = stash[0];
        stash.RemoveAt(0);
        (Extras.Front ??= new Stack<Envelope>()).Push(first);
    }

    void IStash.UnstashAll() => ((IStash)this).UnstashAll(static _ => true);

    void IStash.UnstashAll(Func<Envelope, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        if (_extras?.Stash is not { Count: > 0 } stash) return;
        var taken = new List<Envelope>(stash.Count);
        stash.RemoveAll(e =>
        {
            if (!predicate(e)) return false;
            taken.Add(e);
            return true;
        });
        var front = Extras.Front ??= new Stack<Envelope>();
        for (int i = taken.Count - 1; i >= 0; i--) front.Push(taken[i]); // oldest on top: processed first
    }

    IReadOnlyList<Envelope> IStash.ClearStash()
    {
        if (_extras?.Stash is not { Count: > 0 } stash) return [];
        var all = stash.ToArray();
        stash.Clear();
        return all;
    }

    int IStash.Count => _extras?.Stash?.Count ?? 0;

    private void UnstashAllForRestart() => ((IStash)this).UnstashAll();
}
