namespace MetaRL.Runtime.Tests;

public sealed class EventStreamTests : ActorTestKit
{
    private interface IAnimal;

    private sealed record Dog(string Name) : IAnimal;

    private sealed record Cat(string Name) : IAnimal;

    [Fact]
    public void Subscribers_get_events_of_their_type_and_its_subtypes()
    {
        var animals = CreateTestProbe();
        var dogs = CreateTestProbe();
        Assert.True(Sys.EventStream.Subscribe<IAnimal>(animals.Ref));
        Assert.False(Sys.EventStream.Subscribe<IAnimal>(animals.Ref));
        Sys.EventStream.Subscribe<Dog>(dogs.Ref);
        Sys.EventStream.Publish(new Dog("rex"));
        Sys.EventStream.Publish(new Cat("tom"));
        Sys.EventStream.Publish("not an animal");
        animals.ExpectMsg(new Dog("rex"));
        animals.ExpectMsg(new Cat("tom"));
        dogs.ExpectMsg(new Dog("rex"));
        dogs.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Assert.True(Sys.EventStream.Unsubscribe(animals.Ref, typeof(IAnimal)));
        Sys.EventStream.Publish(new Cat("tom"));
        animals.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Messages_to_a_stopped_actor_and_those_left_in_its_mailbox_are_dead_letters()
    {
        using var gate = new ManualResetEventSlim();
        var blocker = Sys.ActorOf(Props.Create(() => new GateActor(gate, TestActor)));
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        blocker.Tell("block");
        ExpectMsg("blocked");
        blocker.Tell("queued-1");
        blocker.Tell("queued-2");
        Sys.Stop(blocker);
        gate.Set();
        var letters = new[] { ExpectMsg<DeadLetter>(), ExpectMsg<DeadLetter>() };
        Assert.Equal(["queued-1", "queued-2"], letters.Select(l => (string)l.Message));
        Assert.All(letters, l => Assert.Same(blocker, l.Recipient));
        Sys.DeadLetters.Tell("direct", TestActor);
        Assert.Equal("direct", ExpectMsg<DeadLetter>().Message);
    }

    private sealed class GateActor : ReceiveActor
    {
        public GateActor(ManualResetEventSlim gate, IActorRef probe)
        {
            Receive<string>(s => s == "block", _ =>
            {
                probe.Tell("blocked", Self);
                gate.Wait(TimeSpan.FromSeconds(30));
            });
            ReceiveAny(_ => { });
        }
    }

    private sealed class OnlyStrings : ReceiveActor
    {
        public OnlyStrings() => Receive<string>(_ => { });
    }

    [Fact]
    public void Unhandled_messages_are_published()
    {
        Sys.EventStream.Subscribe<UnhandledMessage>(TestActor);
        var a = Sys.ActorOf(Props.Create(() => new OnlyStrings()));
        a.Tell("fine");
        a.Tell(42);
        var u = ExpectMsg<UnhandledMessage>();
        Assert.Equal(42, u.Message);
        Assert.Same(a, u.Recipient);
        Assert.Same(TestActor, u.Sender);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_subscriber_that_stops_is_unsubscribed()
    {
        var sub = Sys.ActorOf(Props.Create(() => new ForwardToActor(TestActor)));
        Sys.EventStream.Subscribe<Dog>(sub);
        Sys.EventStream.Publish(new Dog("a"));
        ExpectMsg(new Dog("a"));
        Watch(sub);
        Sys.Stop(sub);
        ExpectTerminated(sub);
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        Sys.EventStream.Publish(new Dog("b"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // not even a dead letter: the subscription is gone
    }
}
