namespace MetaRL.Runtime.Tests;

public sealed class SupervisionTests : ActorTestKit
{
    public SupervisionTests() : base(useTestScheduler: true) { }

    private IActorRef ChildOf(IActorRef supervisor, Props props, string name)
    {
        var replies = CreateTestProbe(); // not the test actor: the child's hook messages may come first
        replies.Send(supervisor, (props, name));
        return replies.ExpectMsg<IActorRef>();
    }

    private static Props Lifecycle(IActorRef probe, string name) => Props.Create(() => new LifecycleActor(probe, name));

    private sealed class Blocking : ReceiveActor
    {
        private int _count;

        public Blocking(IActorRef probe, ManualResetEventSlim gate)
        {
            probe.Tell("created", ActorRefs.NoSender);
            Receive<string>(s => s == "block", _ =>
            {
                probe.Tell("blocked", Self);
                gate.Wait(TimeSpan.FromSeconds(30));
            });
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("fail"));
            Receive<string>(s => s == "count", _ => probe.Tell(++_count, Self));
        }
    }

    [Fact]
    public void A_restart_keeps_the_mailbox_and_drops_the_failing_message()
    {
        using var gate = new ManualResetEventSlim();
        var probe = CreateTestProbe();
        var a = Sys.ActorOf(Props.Create(() => new Blocking(probe.Ref, gate)));
        probe.ExpectMsg("created");
        a.Tell("count");
        probe.ExpectMsg(1);
        a.Tell("block");
        probe.ExpectMsg("blocked");
        a.Tell("fail"); // all queued while the actor is busy: they are in the mailbox when it fails
        a.Tell("count");
        a.Tell("count");
        gate.Set();
        probe.ExpectMsg("created"); // the fresh instance
        probe.ExpectMsg(1);         // counts from zero: state was reset; "fail" was not redelivered
        probe.ExpectMsg(2);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Default_strategy_restarts_on_an_exception_with_the_hooks_in_order()
    {
        var a = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "a")));
        ExpectMsg("a:ctor");
        ExpectMsg("a:preStart");
        a.Tell("count");
        ExpectMsg(1);
        a.Tell("fail");
        ExpectMsg("a:preRestart:fail:fail");
        ExpectMsg("a:postStop");
        ExpectMsg("a:ctor");
        ExpectMsg("a:postRestart");
        ExpectMsg("a:preStart");
        a.Tell("count");
        ExpectMsg(1);
    }

    private sealed class FailingConstructor : ReceiveActor
    {
        public FailingConstructor() => throw new InvalidOperationException("bad constructor");
    }

    private sealed class FailingPreStart : ReceiveActor
    {
        protected override void PreStart() => throw new InvalidOperationException("bad PreStart");
    }

    [Fact]
    public void Default_strategy_stops_an_actor_whose_constructor_or_PreStart_fails()
    {
        var a = Sys.ActorOf(Props.Create(() => new FailingConstructor()));
        var b = Sys.ActorOf(Props.Create(() => new FailingPreStart()));
        Watch(a);
        Watch(b);
        var stopped = new[] { ExpectMsg<Terminated>().ActorRef, ExpectMsg<Terminated>().ActorRef };
        Assert.Contains(a, stopped);
        Assert.Contains(b, stopped);
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorInitializationException(a, "x")));
        Assert.Equal(Directive.Restart, SupervisorStrategy.DefaultDecider(new InvalidOperationException()));
    }

    private sealed class FailsOnce : ReceiveActor
    {
        private static int s_constructed;

        public FailsOnce()
        {
            if (Interlocked.Increment(ref s_constructed) == 1) throw new InvalidOperationException("first constructor fails");
            Receive<string>(s => Sender.Tell(s, Self));
        }
    }

    [Fact]
    public void Resume_of_an_actor_whose_constructor_failed_creates_it_afresh()
    {
        var sup = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Resume) { LoggingEnabled = false })));
        var child = ChildOf(sup, Props.Create(() => new FailsOnce()), "c");
        child.Tell("alive?");
        ExpectMsg("alive?");
    }

    [Fact]
    public void OneForOne_Resume_keeps_the_state_and_drops_the_failing_message()
    {
        var sup = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Resume) { LoggingEnabled = false })));
        var child = ChildOf(sup, Lifecycle(TestActor, "c"), "c");
        ExpectMsg("c:ctor");
        ExpectMsg("c:preStart");
        child.Tell("count");
        ExpectMsg(1);
        child.Tell("fail");
        child.Tell("count");
        ExpectMsg(2);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // no restart hooks
    }

    [Fact]
    public void OneForOne_Stop_stops_only_the_failing_child()
    {
        var sup = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Stop) { LoggingEnabled = false })));
        var hooks = CreateTestProbe();
        var c1 = ChildOf(sup, Lifecycle(hooks.Ref, "c1"), "c1");
        var c2 = ChildOf(sup, Lifecycle(hooks.Ref, "c2"), "c2");
        hooks.ReceiveN(4);
        Watch(c1);
        c1.Tell("fail");
        hooks.ExpectMsg("c1:postStop");
        ExpectTerminated(c1);
        c2.Tell("count");
        ExpectMsg(1);
        hooks.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void AllForOne_Restart_restarts_every_child_and_Stop_stops_them_all()
    {
        bool stop = false;
        var strategy = new AllForOneStrategy(_ => Volatile.Read(ref stop) ? Directive.Stop : Directive.Restart) { LoggingEnabled = false };
        var sup = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        var hooks = CreateTestProbe();
        var c1 = ChildOf(sup, Lifecycle(hooks.Ref, "c1"), "c1");
        var c2 = ChildOf(sup, Lifecycle(hooks.Ref, "c2"), "c2");
        hooks.ReceiveN(4);
        c2.Tell("count");
        ExpectMsg(1);
        c1.Tell("fail");
        var restarted = hooks.ReceiveN(10).Cast<string>().Where(s => s.EndsWith(":postRestart", StringComparison.Ordinal)).Order().ToArray();
        Assert.Equal(["c1:postRestart", "c2:postRestart"], restarted);
        c2.Tell("count");
        ExpectMsg(1); // the sibling was restarted too

        Volatile.Write(ref stop, true);
        Watch(c1);
        Watch(c2);
        c2.Tell("fail");
        var stopped = FishForMessages(2);
        Assert.Contains(c1, stopped);
        Assert.Contains(c2, stopped);
    }

    private IActorRef[] FishForMessages(int terminations)
    {
        var got = new List<IActorRef>();
        while (got.Count < terminations) got.Add(FishForMessage<Terminated>(_ => true).ActorRef);
        return [.. got];
    }

    [Fact]
    public void Escalate_fails_the_supervisor_and_its_own_supervisor_decides()
    {
        var seen = CreateTestProbe();
        var top = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(e =>
        {
            seen.Ref.Tell(e.Message, ActorRefs.NoSender);
            return Directive.Stop;
        }) { LoggingEnabled = false })), "top");
        var middle = ChildOf(top, Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Escalate))), "middle");
        var child = ChildOf(middle, Lifecycle(TestActor, "c"), "c");
        ExpectMsg("c:ctor");
        ExpectMsg("c:preStart");
        Watch(middle);
        Watch(child);
        child.Tell("fail");
        seen.ExpectMsg("fail"); // the top saw the child's exception
        ExpectMsg("c:postStop");
        var stopped = FishForMessages(2);
        Assert.Contains(middle, stopped);
        Assert.Contains(child, stopped);
    }

    [Fact]
    public void The_retry_limit_within_a_window_turns_the_next_failure_into_a_stop()
    {
        var sup = Sys.ActorOf(Props.Create(() => new SupervisorActor(
            new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart) { LoggingEnabled = false })));
        var c = ChildOf(sup, Lifecycle(TestActor, "c"), "c");
        ReceiveN(2);
        Watch(c);

        void FailAndExpectRestart()
        {
            c.Tell("fail");
            FishForMessage<string>(s => s == "c:postRestart");
        }

        FailAndExpectRestart();
        FailAndExpectRestart();
        Scheduler.Advance(TimeSpan.FromSeconds(61)); // the window has passed: the count starts again
        FailAndExpectRestart();
        FailAndExpectRestart();
        c.Tell("fail"); // the third within one window
        FishForMessage<string>(s => s == "c:postStop");
        ExpectTerminated(c);
    }

    [Fact]
    public void A_retry_limit_without_a_window_counts_over_the_childs_life()
    {
        var sup = Sys.ActorOf(Props.Create(() => new SupervisorActor(
            new OneForOneStrategy(1, null, _ => Directive.Restart) { LoggingEnabled = false })));
        var c = ChildOf(sup, Lifecycle(TestActor, "c"), "c");
        ReceiveN(2);
        Watch(c);
        c.Tell("fail");
        FishForMessage<string>(s => s == "c:postRestart");
        Scheduler.Advance(TimeSpan.FromDays(1));
        c.Tell("fail");
        FishForMessage<Terminated>(t => ReferenceEquals(t.ActorRef, c));
    }

    [Fact]
    public void The_strategy_can_come_from_Props()
    {
        var props = Props.Create(() => new ReceiveActorWithChild()).WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Resume) { LoggingEnabled = false });
        var parent = Sys.ActorOf(props);
        var replies = CreateTestProbe();
        replies.Send(parent, Lifecycle(TestActor, "c"));
        var c = replies.ExpectMsg<IActorRef>();
        ReceiveN(2);
        c.Tell("count");
        ExpectMsg(1);
        c.Tell("fail");
        c.Tell("count");
        ExpectMsg(2);
    }

    private sealed class ReceiveActorWithChild : ReceiveActor
    {
        public ReceiveActorWithChild() => Receive<Props>(p => Sender.Tell(Context.ActorOf(p), Self));
    }
}
