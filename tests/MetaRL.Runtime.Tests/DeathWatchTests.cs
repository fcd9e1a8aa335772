namespace MetaRL.Runtime.Tests;

public sealed class DeathWatchTests : ActorTestKit
{
    private sealed record WatchIt(IActorRef Target);

    private sealed record UnwatchIt(IActorRef Target);

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef probe)
        {
            Receive<WatchIt>(w =>
            {
                Context.Watch(w.Target);
                Sender.Tell("watching", Self);
            });
            Receive<UnwatchIt>(w =>
            {
                Context.Unwatch(w.Target);
                Sender.Tell("unwatched", Self);
            });
            Receive<Terminated>(t => probe.Tell(t, Self));
            ReceiveAny(m => probe.Tell(m, Self));
        }
    }

    [Fact]
    public void Terminated_arrives_exactly_once_even_when_watched_twice()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(new WatchIt(target));
        ExpectMsg("watching");
        watcher.Tell(new WatchIt(target));
        ExpectMsg("watching");
        Sys.Stop(target);
        Assert.Same(target, ExpectMsg<Terminated>().ActorRef);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watching_an_actor_that_is_already_dead_delivers_Terminated_once()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(new WatchIt(target));
        ExpectMsg("watching");
        Assert.Same(target, ExpectMsg<Terminated>().ActorRef);
        watcher.Tell(new WatchIt(target)); // again: again once
        ExpectMsg("watching");
        Assert.Same(target, ExpectMsg<Terminated>().ActorRef);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var probe = CreateTestProbe();
        probe.Watch(target);
        probe.ExpectTerminated(target);
    }

    [Fact]
    public void Unwatch_means_no_Terminated()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(new WatchIt(target));
        ExpectMsg("watching");
        watcher.Tell(new UnwatchIt(target));
        ExpectMsg("unwatched");
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target); // our own watch still works
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_unhandled_Terminated_stops_the_watcher_with_a_death_pact()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var pact = Sys.ActorOf(Props.Create(() => new PactWatcher(target)));
        pact.Tell("ready?");
        ExpectMsg("ready");
        Watch(pact);
        Sys.Stop(target);
        ExpectTerminated(pact); // DeathPactException, which the default strategy answers with Stop
    }

    private sealed class PactWatcher : ReceiveActor
    {
        public PactWatcher(IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(_ => Sender.Tell("ready", Self)); // no handler for Terminated
        }
    }

    private sealed class Chatty : ReceiveActor
    {
        public Chatty(IActorRef watcher)
        {
            Receive<string>(_ =>
            {
                for (int i = 0; i < 100; i++) watcher.Tell(i, Self);
                Context.Stop(Self);
            });
        }
    }

    [Fact]
    public void Terminated_comes_after_every_message_the_dead_actor_sent()
    {
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        var chatty = Sys.ActorOf(Props.Create(() => new Chatty(watcher)));
        watcher.Tell(new WatchIt(chatty));
        ExpectMsg("watching");
        chatty.Tell("go");
        for (int i = 0; i < 100; i++) ExpectMsg(i);
        ExpectMsg<Terminated>();
    }
}
