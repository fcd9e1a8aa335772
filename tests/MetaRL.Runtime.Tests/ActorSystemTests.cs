namespace MetaRL.Runtime.Tests;

public sealed class ActorSystemTests : ActorTestKit
{
    private sealed class Parent : ReceiveActor
    {
        public Parent()
        {
            Receive<string>(name => Sender.Tell(Context.ActorOf(Props.Create(() => new Parent()), name), Self));
            Receive<int>(_ => Sender.Tell(Context.Children.Select(c => c.Path.Name).Order().ToArray(), Self));
            Receive<object[]>(_ => Sender.Tell(new object[] { Context.Self, Context.Parent, Context.System }, Self));
        }
    }

    [Fact]
    public void Actor_paths_follow_the_hierarchy()
    {
        var population = Sys.ActorOf(Props.Create(() => new Parent()), "population");
        population.Tell("agent-17");
        var agent = ExpectMsg<IActorRef>();
        Assert.Equal("/user/population/agent-17", agent.Path.ToStringWithoutAddress());
        Assert.Equal($"metarl://{Sys.Name}/user/population/agent-17", agent.Path.ToString());
        Assert.Equal(["user", "population", "agent-17"], agent.Path.Elements);
        Assert.Equal(population.Path / "agent-17", agent.Path);
        Assert.NotEqual(population.Path / "agent-18", agent.Path);
    }

    [Fact]
    public void Children_are_listed_and_names_must_be_unique()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent()), "p");
        parent.Tell("a");
        ExpectMsg<IActorRef>();
        parent.Tell("b");
        ExpectMsg<IActorRef>();
        parent.Tell(0);
        Assert.Equal(["a", "b"], ExpectMsg<string[]>());
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Parent()), "p"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Parent()), "a/b"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Parent()), "$x"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Parent()), ""));
    }

    [Fact]
    public void Context_gives_self_parent_and_system()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent()), "p");
        parent.Tell("c");
        var child = ExpectMsg<IActorRef>();
        child.Tell(Array.Empty<object>());
        var got = ExpectMsg<object[]>();
        Assert.Same(child, got[0]);
        Assert.Same(parent, got[1]);
        Assert.Same(Sys, got[2]);
        Assert.Equal(child, LastSender);
    }

    [Fact]
    public void Generated_names_are_unique()
    {
        var a = Sys.ActorOf(Props.Create(() => new Parent()));
        var b = Sys.ActorOf(Props.Create(() => new Parent()));
        Assert.StartsWith("$", a.Path.Name);
        Assert.NotEqual(a.Path, b.Path);
    }

    [Fact]
    public async Task Terminate_stops_actors_and_completes_WhenTerminated()
    {
        var probe = CreateTestProbe();
        var a = Sys.ActorOf(Props.Create(() => new LifecycleActor(probe.Ref, "a")), "a");
        probe.ExpectMsg("a:ctor");
        probe.ExpectMsg("a:preStart");
        Assert.False(Sys.WhenTerminated.IsCompleted);
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(Sys.WhenTerminated.IsCompletedSuccessfully);
        probe.ExpectMsg("a:postStop");
        Assert.Same(Sys.WhenTerminated, Sys.Terminate()); // idempotent
    }

    [Fact]
    public void Create_validates_the_name_and_the_settings()
    {
        Assert.Throws<ArgumentException>(() => ActorSystem.Create("bad name"));
        Assert.Throws<ArgumentException>(() => ActorSystem.Create(""));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActorSystem.Create("ok", new ActorSystemSettings { Throughput = 0 }));
        using var sys = ActorSystem.Create("ok-1_b", new ActorSystemSettings { Throughput = 5 });
        Assert.Equal("ok-1_b", sys.Name);
        Assert.Equal(5, sys.Settings.Throughput);
    }

    [Fact]
    public void Actors_cannot_be_created_with_new()
    {
        var e = Assert.Throws<ActorInitializationException>(() => new Parent());
        Assert.Contains("ActorOf", e.Message);
    }

    [Fact]
    public void Props_Create_by_type_passes_constructor_arguments()
    {
        var probe = CreateTestProbe();
        var a = Sys.ActorOf(Props.Create(typeof(LifecycleActor), probe.Ref, "t"));
        probe.ExpectMsg("t:ctor");
        Assert.Throws<ArgumentException>(() => Props.Create(typeof(string)));
        a.Tell("hi");
        ExpectMsg("hi");
    }
}
