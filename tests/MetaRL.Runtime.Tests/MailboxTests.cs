using System.Collections.Concurrent;

namespace MetaRL.Runtime.Tests;

public sealed class MailboxTests : ActorTestKit
{
    public MailboxTests() : base(settings: new ActorSystemSettings
    {
        Dispatchers = new Dictionary<string, DispatcherOptions>
        {
            ["one-thread-t1"] = new() { Threads = 1, Throughput = 1 },
            ["one-thread-t2"] = new() { Threads = 1, Throughput = 2 },
            ["one-thread-t30"] = new() { Threads = 1, Throughput = 30 },
        },
    }) { }

    private sealed class Batcher : BatchingActor
    {
        private readonly IActorRef _probe;
        private readonly ManualResetEventSlim _gate;

        public Batcher(IActorRef probe, ManualResetEventSlim gate)
        {
            _probe = probe;
            _gate = gate;
        }

        protected override void OnReceiveBatch(ReadOnlySpan<Envelope> batch)
        {
            if (batch.Length == 1 && batch[0].Message is "block")
            {
                _probe.Tell("blocked", Self);
                _gate.Wait(TimeSpan.FromSeconds(30));
                return;
            }
            if (batch.Length == 1 && batch[0].Message is "fail") throw new InvalidOperationException("batch failed");
            var items = new object[batch.Length];
            for (int i = 0; i < batch.Length; i++) items[i] = batch[i].Message;
            _probe.Tell(items, Self);
            if (batch[0].Sender is { } sender && !ReferenceEquals(sender, _probe)) sender.Tell("first-sender-seen", Self);
        }
    }

    [Fact]
    public void A_batching_actor_gets_everything_queued_in_one_call_in_arrival_order()
    {
        using var gate = new ManualResetEventSlim();
        var a = Sys.ActorOf(Props.Create(() => new Batcher(TestActor, gate)).WithMailbox(MailboxOptions.Batching()));
        a.Tell("block");
        ExpectMsg("blocked");
        for (int i = 0; i < 100; i++) a.Tell(i, ActorRefs.NoSender);
        gate.Set();
        Assert.Equal(Enumerable.Range(0, 100).Cast<object>(), ExpectMsg<object[]>());
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void MaxBatch_caps_a_batch_and_senders_are_kept()
    {
        using var gate = new ManualResetEventSlim();
        var probe = CreateTestProbe();
        var a = Sys.ActorOf(Props.Create(() => new Batcher(TestActor, gate)).WithMailbox(MailboxOptions.Batching(maxBatch: 40)));
        a.Tell("block");
        ExpectMsg("blocked");
        for (int i = 0; i < 100; i++) a.Tell(i, probe.Ref);
        gate.Set();
        Assert.Equal(40, ExpectMsg<object[]>().Length);
        Assert.Equal(40, ExpectMsg<object[]>().Length);
        Assert.Equal(20, ExpectMsg<object[]>().Length);
        probe.ReceiveN(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => MailboxOptions.Batching(0));
    }

    [Fact]
    public void A_PoisonPill_cuts_the_batch_and_stops_after_the_messages_before_it()
    {
        using var gate = new ManualResetEventSlim();
        var a = Sys.ActorOf(Props.Create(() => new Batcher(TestActor, gate)).WithMailbox(MailboxOptions.Batching()));
        a.Tell("block");
        ExpectMsg("blocked");
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        Watch(a);
        a.Tell(1, ActorRefs.NoSender);
        a.Tell(2, ActorRefs.NoSender);
        a.Tell(PoisonPill.Instance);
        a.Tell(3, ActorRefs.NoSender);
        gate.Set();
        Assert.Equal(new object[] { 1, 2 }, ExpectMsg<object[]>());
        var rest = ReceiveN(2); // the watch notification and the dead letter, in either order
        Assert.Contains(rest, m => m is DeadLetter { Message: 3 });
        Assert.Contains(rest, m => m is Terminated t && ReferenceEquals(t.ActorRef, a));
    }

    [Fact]
    public void A_failing_batch_is_not_redelivered_and_the_rest_of_the_mailbox_survives_the_restart()
    {
        using var gate = new ManualResetEventSlim();
        var a = Sys.ActorOf(Props.Create(() => new Batcher(TestActor, gate)).WithMailbox(MailboxOptions.Batching(maxBatch: 1)));
        a.Tell("block");
        ExpectMsg("blocked");
        a.Tell("fail", ActorRefs.NoSender);
        a.Tell("after", ActorRefs.NoSender);
        gate.Set();
        Assert.Equal(new object[] { "after" }, ExpectMsg<object[]>());
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private sealed class Blocker : ReceiveActor
    {
        public Blocker(IActorRef probe, ManualResetEventSlim gate)
        {
            Receive<string>(s => s == "block", _ =>
            {
                probe.Tell("blocked", Self);
                gate.Wait(TimeSpan.FromSeconds(30));
            });
            ReceiveAny(m => probe.Tell(m, Self));
        }
    }

    [Fact]
    public void A_bounded_mailbox_with_DropNewest_sends_the_overflow_to_dead_letters()
    {
        using var gate = new ManualResetEventSlim();
        var a = Sys.ActorOf(Props.Create(() => new Blocker(TestActor, gate)).WithMailbox(MailboxOptions.Bounded(3, OverflowStrategy.DropNewest)));
        a.Tell("block");
        ExpectMsg("blocked");
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        for (int i = 0; i < 5; i++) a.Tell(i);
        Assert.Equal(3, ExpectMsg<DeadLetter>().Message);
        Assert.Equal(4, ExpectMsg<DeadLetter>().Message);
        gate.Set();
        Assert.Equal([0, 1, 2], ReceiveN(3).Cast<int>());
        a.Tell(5); // room again
        ExpectMsg(5);
    }

    [Fact]
    public void A_bounded_mailbox_with_Fail_throws_MailboxFullException()
    {
        using var gate = new ManualResetEventSlim();
        var a = Sys.ActorOf(Props.Create(() => new Blocker(TestActor, gate)).WithMailbox(MailboxOptions.Bounded(1, OverflowStrategy.Fail)));
        a.Tell("block");
        ExpectMsg("blocked");
        a.Tell(0);
        var e = Assert.Throws<MailboxFullException>(() => a.Tell(1));
        Assert.Contains(a.Path.ToStringWithoutAddress(), e.Message);
        gate.Set();
        ExpectMsg(0);
    }

    [Fact]
    public async Task A_bounded_mailbox_with_Block_holds_the_sender_until_there_is_room()
    {
        using var gate = new ManualResetEventSlim();
        var a = Sys.ActorOf(Props.Create(() => new Blocker(TestActor, gate)).WithMailbox(MailboxOptions.Bounded(2, OverflowStrategy.Block, TimeSpan.FromSeconds(30))));
        a.Tell("block");
        ExpectMsg("blocked");
        a.Tell(0);
        a.Tell(1);
        var sender = TestActor;
        var third = Task.Run(() => a.Tell(2, sender));
        await Task.Delay(200);
        Assert.False(third.IsCompleted); // back-pressure: the sender waits
        gate.Set();
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([0, 1, 2], ReceiveN(3).Cast<int>());
    }

    [Fact]
    public void A_blocked_sender_gives_up_after_the_push_timeout_and_the_message_is_a_dead_letter()
    {
        using var gate = new ManualResetEventSlim();
        var a = Sys.ActorOf(Props.Create(() => new Blocker(TestActor, gate)).WithMailbox(MailboxOptions.Bounded(1, OverflowStrategy.Block, TimeSpan.FromMilliseconds(50))));
        a.Tell("block");
        ExpectMsg("blocked");
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        a.Tell(0);
        a.Tell(1); // waits 50 ms, then gives up
        Assert.Equal(1, ExpectMsg<DeadLetter>().Message);
        gate.Set();
        ExpectMsg(0);
    }

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(string name, ConcurrentQueue<string> log, ManualResetEventSlim? gate)
        {
            Receive<string>(s => s == "ready?", _ => Sender.Tell("ready", Self));
            Receive<string>(s => s == "block", _ =>
            {
                Sender.Tell("blocked", Self);
                gate!.Wait(TimeSpan.FromSeconds(30));
            });
            Receive<int>(_ => log.Enqueue(name));
        }
    }

    [Theory]
    [InlineData("one-thread-t1", "ABABABABAB")]
    [InlineData("one-thread-t2", "AABBAABBAB")]
    [InlineData("one-thread-t30", "AAAAABBBBB")]
    public void Throughput_is_the_number_of_messages_an_actor_processes_per_turn(string dispatcher, string expected)
    {
        var log = new ConcurrentQueue<string>();
        using var gate = new ManualResetEventSlim();
        var blocker = Sys.ActorOf(Props.Create(() => new Recorder("X", log, gate)).WithDispatcher(dispatcher));
        var a = Sys.ActorOf(Props.Create(() => new Recorder("A", log, null)).WithDispatcher(dispatcher));
        var b = Sys.ActorOf(Props.Create(() => new Recorder("B", log, null)).WithDispatcher(dispatcher));
        foreach (var r in new[] { a, b })
        {
            r.Tell("ready?");
            ExpectMsg("ready");
        }
        blocker.Tell("block"); // holds the dispatcher's only thread while A and B fill up
        ExpectMsg("blocked");
        for (int i = 0; i < 5; i++) a.Tell(i);
        for (int i = 0; i < 5; i++) b.Tell(i);
        gate.Set();
        AwaitCondition(() => log.Count == 10);
        Assert.Equal(expected, string.Concat(log));
    }

    [Fact]
    public void An_unknown_dispatcher_is_reported_with_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Sys.ActorOf(Props.Create(() => new EchoActor()).WithDispatcher("nope")));
        Assert.Contains("nope", e.Message);
        Assert.Contains("one-thread-t1", e.Message);
    }
}
