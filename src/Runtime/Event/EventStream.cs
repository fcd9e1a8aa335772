using System.Collections.Concurrent;

namespace MetaRL.Runtime;

/// <summary>Published for a message that reached no live actor (sent to a stopped actor, or left in its mailbox when it stopped).</summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>Published for a message that an actor did not handle.</summary>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>
/// The system's publish/subscribe bus: an event goes to every subscriber of its type or of a base type or interface
/// of it. Subscribing actors are unsubscribed when they stop.
/// </summary>
public sealed class EventStream
{
    private readonly object _lock = new();
    private Snapshot _snapshot = new([]);

    /// <summary>Subscribes <paramref name="subscriber"/> to events assignable to <typeparamref name="T"/>.</summary>
    public bool Subscribe<T>(IActorRef subscriber) => Subscribe(subscriber, typeof(T));

    /// <summary>Subscribes <paramref name="subscriber"/> to events assignable to <paramref name="channel"/>; false if it already was.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_lock)
        {
            var subs = _snapshot.Subscriptions;
            if (subs.Any(s => ReferenceEquals(s.Subscriber, subscriber) && s.Channel == channel)) return false;
            _snapshot = new Snapshot([.. subs, (channel, subscriber)]);
            return true;
        }
    }

    /// <summary>Ends one subscription; false if there was none.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        lock (_lock)
        {
            var subs = _snapshot.Subscriptions;
            var kept = subs.Where(s => !(ReferenceEquals(s.Subscriber, subscriber) && s.Channel == channel)).ToArray();
            if (kept.Length == subs.Length) return false;
            _snapshot = new Snapshot(kept);
            return true;
        }
    }

    /// <summary>Ends every subscription of <paramref name="subscriber"/>.</summary>
    public void Unsubscribe(IActorRef subscriber)
    {
        lock (_lock)
        {
            var subs = _snapshot.Subscriptions;
            var kept = subs.Where(s => !ReferenceEquals(s.Subscriber, subscriber)).ToArray();
            if (kept.Length != subs.Length) _snapshot = new Snapshot(kept);
        }
    }

    /// <summary>Sends <paramref name="event"/> to its subscribers (no sender).</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot.Subscriptions.Length == 0) return;
        foreach (var s in snapshot.For(@event.GetType())) s.Tell(@event, null);
    }

    /// <summary>Cheap for the common case of an actor that never subscribed.</summary>
    internal void UnsubscribeDead(IActorRef actor)
    {
        var subs = Volatile.Read(ref _snapshot).Subscriptions;
        foreach (var s in subs)
            if (ReferenceEquals(s.Subscriber, actor))
            {
                Unsubscribe(actor);
                return;
            }
    }

    /// <summary>An immutable subscription list with its per-type lookups; replaced on every change.</summary>
    private sealed class Snapshot((Type Channel, IActorRef Subscriber)[] subscriptions)
    {
        private readonly ConcurrentDictionary<Type, IActorRef[]> _byType = new();

        public (Type Channel, IActorRef Subscriber)[] Subscriptions { get; } = subscriptions;

        public IActorRef[] For(Type type) => _byType.GetOrAdd(type, t =>
            Subscriptions.Where(s => s.Channel.IsAssignableFrom(t)).Select(s => s.Subscriber).Distinct(ReferenceEqualityComparer.Instance).Cast<IActorRef>().ToArray());
    }
}
