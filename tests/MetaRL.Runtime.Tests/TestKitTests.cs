namespace MetaRL.Runtime.Tests;

public sealed class TestKitTests : ActorTestKit
{
    [Fact]
    public void ExpectMsg_checks_type_value_and_predicate_and_fails_with_a_clear_message()
    {
        TestActor.Tell(5, ActorRefs.NoSender);
        Assert.Equal(5, ExpectMsg<int>(i => i > 3));
        TestActor.Tell(2, ActorRefs.NoSender);
        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<int>(i => i > 3, hint: "more than three"));
        Assert.Contains("more than three", e.Message);
        TestActor.Tell("text", ActorRefs.NoSender);
        e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<int>());
        Assert.Contains("Int32", e.Message);
        TestActor.Tell(1, ActorRefs.NoSender);
        Assert.Throws<TestKitAssertionException>(() => ExpectMsg(2));
        TestActor.Tell(3, ActorRefs.NoSender);
        Assert.Throws<TestKitAssertionException>(() => ExpectMsg<int>(i => Assert.Equal(4, i)));
    }

    [Fact]
    public void ExpectMsg_times_out()
    {
        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>(TimeSpan.FromMilliseconds(50)));
        Assert.Contains("timeout", e.Message);
    }

    [Fact]
    public void ExpectNoMsg_fails_when_a_message_arrives()
    {
        ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        TestActor.Tell("surprise", ActorRefs.NoSender);
        var e = Assert.Throws<TestKitAssertionException>(() => ExpectNoMsg(TimeSpan.FromMilliseconds(20)));
        Assert.Contains("surprise", e.Message);
    }

    [Fact]
    public void Probes_reply_forward_and_expect_Terminated()
    {
        var probe = CreateTestProbe("p");
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        probe.Send(echo, "ping");
        probe.ExpectMsg("ping");
        Assert.Same(echo, probe.LastSender);
        var other = CreateTestProbe();
        probe.Forward(other.Ref);
        other.ExpectMsg("ping");
        Assert.Same(echo, other.LastSender);
        other.Reply("pong");
        ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        probe.Watch(echo);
        Assert.Throws<TestKitAssertionException>(() => probe.ExpectTerminated(echo, TimeSpan.FromMilliseconds(50)));
        Sys.Stop(echo);
        Assert.Same(echo, probe.ExpectTerminated(echo).ActorRef);
        Assert.EndsWith("/system/p", probe.Ref.Path.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Within_bounds_the_block_and_the_expectations_inside_it()
    {
        Within(TimeSpan.FromSeconds(5), () =>
        {
            TestActor.Tell(1, ActorRefs.NoSender);
            ExpectMsg(1);
            Assert.True(Remaining <= TimeSpan.FromSeconds(5));
        });
        var e = Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.FromMilliseconds(100), () => ExpectMsg<int>()));
        Assert.Contains("timeout", e.Message); // ExpectMsg inside waited only for what Within had left, not the default 10 s
        Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.FromMilliseconds(20), () => Thread.Sleep(100)));
        Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), () => { }));
        Assert.Equal(7, Within(TimeSpan.FromSeconds(1), () => 7));
    }

    [Fact]
    public void AwaitAssert_retries_until_the_assertion_holds_or_the_time_is_up()
    {
        int calls = 0;
        AwaitAssert(() => Assert.True(++calls >= 3), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, calls);
        var e = Assert.Throws<TestKitAssertionException>(() => AwaitAssert(() => Assert.Fail("never"), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(5)));
        Assert.Contains("never", e.Message);
        Assert.Throws<TestKitAssertionException>(() => AwaitCondition(() => false, TimeSpan.FromMilliseconds(30)));
    }

    [Fact]
    public void Tell_from_test_code_has_the_test_actor_as_sender()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        echo.Tell("implicit");
        ExpectMsg("implicit");
        Assert.Same(echo, LastSender);
    }

    [Fact]
    public void The_test_scheduler_needs_useTestScheduler_and_the_time_factor_dilates()
    {
        Assert.Throws<InvalidOperationException>(() => Scheduler);
        var s = new TestKitSettings { TimeFactor = 3 };
        Assert.Equal(TimeSpan.FromSeconds(3), s.Dilated(TimeSpan.FromSeconds(1)));
        Assert.Equal(Timeout.InfiniteTimeSpan, s.Dilated(Timeout.InfiniteTimeSpan));
        using var kit = new ActorTestKit(useTestScheduler: true);
        Assert.Equal(TimeSpan.Zero, kit.Scheduler.MonotonicClock);
        kit.Scheduler.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 1, 0, 0, TimeSpan.Zero), kit.Scheduler.Now);
    }

    [Fact]
    public void Dispose_terminates_the_system()
    {
        var kit = new ActorTestKit();
        kit.Dispose();
        Assert.True(kit.Sys.WhenTerminated.IsCompletedSuccessfully);
    }
}
