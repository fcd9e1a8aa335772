namespace MetaRL.Runtime.Tests;

public sealed class MessagingTests : ActorTestKit
{
    private sealed record Numbered(int Sender, int Seq);

    private sealed record Done(long Count, string? Error);

    /// <summary>Checks per-sender order and tells the probe once it has seen every expected message.</summary>
    private sealed class OrderChecker : ReceiveActor
    {
        public OrderChecker(int senders, long total, IActorRef probe)
        {
            var next = new int[senders];
            long count = 0;
            string? error = null;
            Receive<Numbered>(m =>
            {
                if (error is null && m.Seq != next[m.Sender])
                    error = $"sender {m.Sender}: expected {next[m.Sender]}, got {m.Seq}";
                next[m.Sender] = m.Seq + 1;
                if (++count == total) probe.Tell(new Done(count, error), Self);
            });
        }
    }

    [Fact]
    public void Four_concurrent_senders_of_a_million_messages_each_arrive_all_and_in_per_sender_order()
    {
        const int senders = 4, perSender = 1_000_000;
        var checker = Sys.ActorOf(Props.Create(() => new OrderChecker(senders, (long)senders * perSender, TestActor)), "checker");
        var threads = Enumerable.Range(0, senders).Select(s => new Thread(() =>
        {
            for (int i = 0; i < perSender; i++) checker.Tell(new Numbered(s, i), ActorRefs.NoSender);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        var done = ExpectMsg<Done>(TimeSpan.FromSeconds(60));
        Assert.Null(done.Error);
        Assert.Equal((long)senders * perSender, done.Count);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // and nothing more than expected
    }

    [Fact]
    public void Messages_between_two_actors_keep_their_order()
    {
        var forward = Sys.ActorOf(Props.Create(() => new ForwardToActor(TestActor)));
        var sender = Sys.ActorOf(Props.Create(() => new ForwardToActor(forward)));
        for (int i = 0; i < 10_000; i++) sender.Tell(i);
        for (int i = 0; i < 10_000; i++) ExpectMsg(i);
    }

    [Fact]
    public void Tell_without_sender_inside_an_actor_uses_Self_and_Forward_keeps_the_original_sender()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var middle = Sys.ActorOf(Props.Create(() => new ForwardToActor(echo)), "middle");
        middle.Tell("via-forward");
        ExpectMsg("via-forward");
        Assert.Same(echo, LastSender); // echo replied to us, the original sender, not to middle
        echo.Tell("direct");
        ExpectMsg("direct");
        Assert.Same(TestActor, ((IActorRef)TestActor)); // the test actor is the implicit sender of test code
    }

    private sealed class Replier : ReceiveActor
    {
        public Replier()
        {
            Receive<int>(i => Sender.Tell(i * 2, Self));
            Receive<string>(s => s == "fail", _ => Sender.Tell(new Status.Failure(new InvalidOperationException("nope")), Self));
            Receive<string>(s => s == "success", _ => Sender.Tell(new Status.Success(42), Self));
            Receive<string>(s => s == "silent", _ => { });
            Receive<string>(s => Sender.Tell(s.Length, Self));
        }
    }

    [Fact]
    public async Task Ask_completes_with_the_reply()
    {
        var a = Sys.ActorOf(Props.Create(() => new Replier()));
        Assert.Equal(42, await a.Ask<int>(21, TimeSpan.FromSeconds(10)));
        Assert.Equal(42, await a.Ask<int>("success", TimeSpan.FromSeconds(10)));
        Assert.Equal(42, await a.Ask(21, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Ask_faults_on_Status_Failure_and_on_a_reply_of_the_wrong_type()
    {
        var a = Sys.ActorOf(Props.Create(() => new Replier()));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => a.Ask<int>("fail", TimeSpan.FromSeconds(10)));
        Assert.Equal("nope", e.Message);
        await Assert.ThrowsAsync<InvalidCastException>(() => a.Ask<string>(1, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Ask_times_out_with_AskTimeoutException()
    {
        var a = Sys.ActorOf(Props.Create(() => new Replier()), "silent-one");
        var e = await Assert.ThrowsAsync<AskTimeoutException>(() => a.Ask<int>("silent", TimeSpan.FromMilliseconds(100)));
        Assert.Contains("silent-one", e.Message);
        Assert.IsAssignableFrom<TimeoutException>(e);
    }

    [Fact]
    public async Task Ask_can_be_cancelled()
    {
        var a = Sys.ActorOf(Props.Create(() => new Replier()));
        using var cts = new CancellationTokenSource();
        var task = a.Ask<int>("silent", Timeout.InfiniteTimeSpan, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public async Task Ask_of_a_dead_actor_times_out_and_the_question_is_a_dead_letter()
    {
        var a = Sys.ActorOf(Props.Create(() => new Replier()));
        Watch(a);
        Sys.Stop(a);
        ExpectTerminated(a);
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        await Assert.ThrowsAsync<AskTimeoutException>(() => a.Ask<int>(1, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(1, ExpectMsg<DeadLetter>().Message);
    }
}
