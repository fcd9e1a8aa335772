namespace MetaRL.Runtime.Tests;

public sealed class BehaviorTests : ActorTestKit
{
    private sealed class Switcher : ReceiveActor
    {
        public Switcher()
        {
            Receive<string>(s => s == "become", _ => Become(Angry));
            Receive<string>(s => s == "push", _ => BecomeStacked(Angry));
            Receive<string>(s => Sender.Tell("happy:" + s, Self));
        }

        private void Angry()
        {
            Receive<string>(s => s == "pop", _ => UnbecomeStacked());
            Receive<string>(s => s == "push", _ => BecomeStacked(Angry));
            Receive<string>(s => Sender.Tell("angry:" + s, Self));
        }
    }

    [Fact]
    public void Become_replaces_and_BecomeStacked_pushes_behaviours()
    {
        var a = Sys.ActorOf(Props.Create(() => new Switcher()));
        a.Tell("x");
        ExpectMsg("happy:x");
        a.Tell("push");
        a.Tell("push");
        a.Tell("y");
        ExpectMsg("angry:y");
        a.Tell("pop");
        a.Tell("z");
        ExpectMsg("angry:z");
        a.Tell("pop");
        a.Tell("w");
        ExpectMsg("happy:w");
        a.Tell("become");
        a.Tell("v");
        ExpectMsg("angry:v");
    }

    private sealed class Untyped(IActorRef probe) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case "swap":
                    Become(m => probe.Tell("other:" + m, Self));
                    break;
                case string s:
                    probe.Tell("first:" + s, Self);
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
    }

    [Fact]
    public void An_untyped_actor_sees_every_message_and_can_leave_some_unhandled()
    {
        Sys.EventStream.Subscribe<UnhandledMessage>(TestActor);
        var a = Sys.ActorOf(Props.Create(() => new Untyped(TestActor)));
        a.Tell("a");
        ExpectMsg("first:a");
        a.Tell(3);
        Assert.Equal(3, ExpectMsg<UnhandledMessage>(u => ReferenceEquals(u.Recipient, a)).Message);
        a.Tell("swap");
        a.Tell("b");
        ExpectMsg("other:b");
    }

    private sealed record Open;

    /// <summary>Stashes work until it is opened, then unstashes everything and changes behaviour.</summary>
    private sealed class Gate : ReceiveActor
    {
        public Gate(IActorRef probe)
        {
            Receive<Open>(_ =>
            {
                Stash.UnstashAll();
                Become(() => Receive<int>(i => probe.Tell(i, Self)));
            });
            Receive<int>(_ => Stash.Stash());
        }
    }

    [Fact]
    public void Stash_survives_Become_and_UnstashAll_replays_in_order_before_newer_messages()
    {
        var a = Sys.ActorOf(Props.Create(() => new Gate(TestActor)));
        for (int i = 0; i < 5; i++) a.Tell(i);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        a.Tell(new Open());
        a.Tell(5);
        for (int i = 0; i <= 5; i++) ExpectMsg(i);
    }

    private sealed class StashCounter : ReceiveActor
    {
        public StashCounter()
        {
            Receive<string>(s => s == "count", _ => Sender.Tell(Stash.Count, Self));
            Receive<string>(s => s == "unstash-one", _ => Stash.Unstash());
            Receive<string>(s => s == "clear", _ => Sender.Tell(Stash.ClearStash().Select(e => e.Message).ToArray(), Self));
            Receive<string>(s => s == "even", _ => Stash.UnstashAll(e => e.Message is int i && i % 2 == 0));
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("boom"));
            Receive<int>(_ => Stash.Stash(), i => i >= 0);
            Receive<(string, int)>(m => Sender.Tell(m, Self));
        }
    }

    [Fact]
    public void Stash_can_unstash_one_some_or_clear()
    {
        var probe = CreateTestProbe();
        var a = Sys.ActorOf(Props.Create(() => new StashCounter()));
        for (int i = 0; i < 4; i++) probe.Send(a, i);
        probe.Send(a, "count");
        probe.ExpectMsg(4);
        probe.Send(a, "even"); // 0 and 2 come back and are stashed again, at the end
        probe.Send(a, "count");
        probe.ExpectMsg(4);
        probe.Send(a, "clear");
        Assert.Equal([1, 3, 0, 2], probe.ExpectMsg<object[]>().Cast<int>());
        probe.Send(a, "count");
        probe.ExpectMsg(0);
    }

    [Fact]
    public void A_restart_unstashes_everything_into_the_mailbox()
    {
        var a = Sys.ActorOf(Props.Create(() => new StashCounter()));
        for (int i = 0; i < 3; i++) a.Tell(i);
        a.Tell("fail");
        a.Tell("count");
        ExpectMsg(3); // the fresh instance stashed the three unstashed messages again
    }

    private sealed record Work(int N);

    private sealed class AsyncWorker : ReceiveActor
    {
        public AsyncWorker(IActorRef probe)
        {
            ReceiveAsync<Work>(async w =>
            {
                var self = Self;
                var sender = Sender;
                probe.Tell($"start {w.N}", Self);
                await Task.Delay(w.N % 2 == 0 ? 20 : 1);
                await Task.Yield();
                // After the awaits the actor's context is intact: same Self and Sender, running inside the actor.
                bool same = ReferenceEquals(self, Self) && ReferenceEquals(sender, Sender) && ReferenceEquals(Context.Self, self);
                probe.Tell($"end {w.N} {same}", Self);
            });
            Receive<string>(s => probe.Tell("sync " + s, Self));
        }
    }

    [Fact]
    public void ReceiveAsync_keeps_order_and_context_across_await_and_holds_the_next_message()
    {
        var a = Sys.ActorOf(Props.Create(() => new AsyncWorker(TestActor)));
        var sender = CreateTestProbe();
        for (int i = 0; i < 4; i++)
        {
            sender.Send(a, new Work(i));
            sender.Send(a, i.ToString(global::System.Globalization.CultureInfo.InvariantCulture));
        }
        for (int i = 0; i < 4; i++)
        {
            ExpectMsg($"start {i}");
            ExpectMsg($"end {i} True");
            ExpectMsg($"sync {i}");
        }
    }

    private sealed class AsyncFailer : ReceiveActor
    {
        private int _count;

        public AsyncFailer()
        {
            ReceiveAsync<string>(async s =>
            {
                await Task.Yield();
                if (s == "fail") throw new InvalidOperationException("async boom");
                Sender.Tell(++_count, Self);
            });
        }
    }

    [Fact]
    public void An_exception_after_await_is_supervised_like_a_synchronous_one()
    {
        var a = Sys.ActorOf(Props.Create(() => new AsyncFailer()));
        a.Tell("x");
        ExpectMsg(1);
        a.Tell("fail");
        a.Tell("y");
        ExpectMsg(1); // restarted: a fresh instance counts from zero
    }
}
