namespace MetaRL.Runtime.Tests;

/// <summary>
/// The segmented mailbox queue under the conditions that stress it: mailboxes that run empty (and give their
/// segment back) thousands of times while producers on threads and on workers keep writing, segments recycled from
/// one mailbox into another, and backlogs that span many segments.
/// </summary>
public sealed class MailboxQueueTests : ActorTestKit
{
    private sealed record Numbered(int Sender, int Seq);

    private sealed record Done(int Receiver, long Count, string? Error);

    private sealed record SendChunk(int Next);

    /// <summary>Checks per-sender order and tells the probe once it has seen every expected message.</summary>
    private sealed class OrderChecker : UntypedActor
    {
        private readonly int _id;
        private readonly int[] _next;
        private readonly long _total;
        private readonly IActorRef _probe;
        private long _count;
        private string? _error;

        public OrderChecker(int id, int senders, long total, IActorRef probe)
        {
            _id = id;
            _next = new int[senders];
            _total = total;
            _probe = probe;
        }

        protected override void OnReceive(object message)
        {
            var m = (Numbered)message;
            if (_error is null && m.Seq != _next[m.Sender]) _error = $"receiver {_id}, sender {m.Sender}: expected {_next[m.Sender]}, got {m.Seq}";
            _next[m.Sender] = m.Seq + 1;
            if (++_count == _total) _probe.Tell(new Done(_id, _count, _error), Self);
        }
    }

    /// <summary>Sends its messages round-robin to the receivers, a chunk per turn, so that it interleaves with them on the workers.</summary>
    private sealed class ChunkSender(int id, IActorRef[] receivers, int perReceiver) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            int next = ((SendChunk)message).Next, total = perReceiver * receivers.Length, end = Math.Min(next + 37, total);
            for (int i = next; i < end; i++) receivers[i % receivers.Length].Tell(new Numbered(id, i / receivers.Length), Self);
            if (end < total) Self.Tell(new SendChunk(end), Self);
        }
    }

    [Fact]
    public void Mailboxes_that_keep_running_empty_lose_nothing_and_keep_per_sender_order()
    {
        const int receivers = 8, threadSenders = 3, actorSenders = 3, perReceiver = 40_000;
        const int senders = threadSenders + actorSenders;
        var refs = Enumerable.Range(0, receivers)
            .Select(r => Sys.ActorOf(Props.Create(() => new OrderChecker(r, senders, (long)senders * perReceiver, TestActor)), $"receiver-{r}"))
            .ToArray();
        for (int s = threadSenders; s < senders; s++)
        {
            int id = s;
            Sys.ActorOf(Props.Create(() => new ChunkSender(id, refs, perReceiver))).Tell(new SendChunk(0));
        }
        var threads = Enumerable.Range(0, threadSenders).Select(s => new Thread(() =>
        {
            for (int i = 0; i < perReceiver * receivers; i++)
            {
                refs[i % receivers].Tell(new Numbered(s, i / receivers), ActorRefs.NoSender);
                if (i % 64 == 63) Thread.Yield(); // let the receivers catch up and run empty
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        var seen = new HashSet<int>();
        for (int r = 0; r < receivers; r++)
        {
            var done = ExpectMsg<Done>(TimeSpan.FromSeconds(60));
            Assert.Null(done.Error);
            Assert.Equal((long)senders * perReceiver, done.Count);
            Assert.True(seen.Add(done.Receiver));
        }
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private sealed class Blocking(ManualResetEventSlim gate, IActorRef probe) : UntypedActor
    {
        private int _next;

        protected override void OnReceive(object message)
        {
            if (message is "block")
            {
                gate.Wait(TimeSpan.FromSeconds(30));
                return;
            }
            int i = (int)message;
            if (i != _next) probe.Tell($"expected {_next}, got {i}", Self);
            _next = i + 1;
            if (i % 10_000 == 9_999) probe.Tell(i, Self);
        }
    }

    [Fact]
    public void A_backlog_of_many_segments_drains_in_order_and_the_emptied_mailbox_fills_again()
    {
        using var gate = new ManualResetEventSlim();
        var actor = Sys.ActorOf(Props.Create(() => new Blocking(gate, TestActor)));
        actor.Tell("block");
        for (int i = 0; i < 10_000; i++) actor.Tell(i); // about 80 segments while the actor is blocked
        gate.Set();
        ExpectMsg(9_999);
        for (int round = 1; round < 4; round++)
        {
            for (int i = round * 10_000; i < (round + 1) * 10_000; i++) actor.Tell(i);
            ExpectMsg(round * 10_000 + 9_999);
        }
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
