namespace MetaRL.Runtime.Tests;

/// <summary>Replies to every message with the same message.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m, Self));
}

/// <summary>Forwards every message it gets to a probe (keeping the sender), so that tests can see what arrived.</summary>
public sealed class ForwardToActor : ReceiveActor
{
    public ForwardToActor(IActorRef target) => ReceiveAny(m => target.Forward(m));
}

/// <summary>Reports its lifecycle hooks to a probe as strings.</summary>
public sealed class LifecycleActor : ReceiveActor
{
    private readonly IActorRef _probe;
    private readonly string _name;
    private int _count;

    public LifecycleActor(IActorRef probe, string name = "a")
    {
        _probe = probe;
        _name = name;
        probe.Tell($"{name}:ctor", ActorRefs.NoSender);
        Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("fail"));
        Receive<string>(s => s == "count", _ => Sender.Tell(++_count, Self));
        ReceiveAny(m => Sender.Tell(m, Self));
    }

    protected override void PreStart() => _probe.Tell($"{_name}:preStart", ActorRefs.NoSender);
    protected override void PostStop() => _probe.Tell($"{_name}:postStop", ActorRefs.NoSender);

    protected override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell($"{_name}:preRestart:{reason.Message}:{message}", ActorRefs.NoSender);
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _probe.Tell($"{_name}:postRestart", ActorRefs.NoSender);
        base.PostRestart(reason);
    }
}

/// <summary>A parent that creates one child from the given props and applies the given strategy to it.</summary>
public sealed class SupervisorActor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public SupervisorActor(SupervisorStrategy strategy)
    {
        _strategy = strategy;
        Receive<Props>(p => Sender.Tell(Context.ActorOf(p), Self));
        Receive<(Props Props, string Name)>(p => Sender.Tell(Context.ActorOf(p.Props, p.Name), Self));
    }

    protected override SupervisorStrategy SupervisorStrategy() => _strategy;
}
