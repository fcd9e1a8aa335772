namespace MetaRL.Runtime;

/// <summary>
/// How to create an actor: a factory for its instances (called again on every restart) plus its mailbox,
/// dispatcher and supervisor strategy. Immutable; share one <see cref="Props"/> between many actors.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type actorType, Func<ActorBase> factory, MailboxOptions mailbox, string dispatcher, SupervisorStrategy? strategy)
    {
        ActorType = actorType;
        _factory = factory;
        Mailbox = mailbox;
        Dispatcher = dispatcher;
        SupervisorStrategy = strategy;
    }

    /// <summary>The type of the actors these props create.</summary>
    public Type ActorType { get; }

    /// <summary>The mailbox: unbounded (default), bounded with back-pressure, and the batch limit of batching actors.</summary>
    public MailboxOptions Mailbox { get; }

    /// <summary>The id of the dispatcher that runs the actor (see <see cref="ActorSystemSettings.Dispatchers"/>); "default" is the shared pool.</summary>
    public string Dispatcher { get; }

    /// <summary>The strategy the actor applies to its children unless it overrides <c>SupervisorStrategy()</c>; null means the default.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<TActor>() where TActor : ActorBase, new()
        => new(typeof(TActor), static () => new TActor(), MailboxOptions.Unbounded, DispatcherIds.Default, null);

    /// <summary>Props whose instances come from <paramref name="factory"/> (called on start and on every restart).</summary>
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new(typeof(TActor), factory, MailboxOptions.Unbounded, DispatcherIds.Default, null);
    }

    /// <summary>Props that create <paramref name="actorType"/> with the constructor matching <paramref name="args"/>.</summary>
    public static Props Create(Type actorType, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(actorType);
        if (!typeof(ActorBase).IsAssignableFrom(actorType) || actorType.IsAbstract)
            throw new ArgumentException($"Props.Create expected a concrete ActorBase subclass, got {actorType.FullName}", nameof(actorType));
        return new(actorType, () => (ActorBase)Activator.CreateInstance(actorType, args)!, MailboxOptions.Unbounded, DispatcherIds.Default, null);
    }

    /// <summary>These props with another mailbox.</summary>
    public Props WithMailbox(MailboxOptions mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        mailbox.Validate();
        return new(ActorType, _factory, mailbox, Dispatcher, SupervisorStrategy);
    }

    /// <summary>These props with another dispatcher id.</summary>
    public Props WithDispatcher(string dispatcherId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dispatcherId);
        return new(ActorType, _factory, Mailbox, dispatcherId, SupervisorStrategy);
    }

    /// <summary>These props with a supervisor strategy for the actor's children.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new(ActorType, _factory, Mailbox, Dispatcher, strategy);
    }

    internal ActorBase NewActor() => _factory();

    public override string ToString() => $"Props({ActorType.Name}, dispatcher {Dispatcher})";
}
