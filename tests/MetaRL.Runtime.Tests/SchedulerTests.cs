namespace MetaRL.Runtime.Tests;

public sealed class SchedulerTests : ActorTestKit
{
    public SchedulerTests() : base(useTestScheduler: true) { }

    [Fact]
    public void ScheduleTellOnce_fires_at_its_virtual_time_and_can_be_cancelled()
    {
        var once = Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "once", null);
        var cancelled = Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "cancelled", null);
        cancelled.Cancel();
        Assert.True(cancelled.IsCancellationRequested);
        Scheduler.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(HasMessages);
        Scheduler.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("once");
        Assert.False(HasMessages);
        Assert.Equal(0, Scheduler.PendingCount);
        Assert.False(once.IsCancellationRequested);
    }

    [Fact]
    public void ScheduleTellRepeatedly_fires_every_interval_until_cancelled()
    {
        var repeat = Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500), TestActor, "tick", null);
        Scheduler.Advance(TimeSpan.FromSeconds(2)); // at 1.0, 1.5 and 2.0
        Assert.Equal(["tick", "tick", "tick"], ReceiveN(3));
        Assert.False(HasMessages);
        repeat.Cancel();
        Scheduler.Advance(TimeSpan.FromSeconds(10));
        Assert.False(HasMessages);
    }

    [Fact]
    public void Work_due_at_the_same_time_runs_in_the_order_scheduled_and_time_only_moves_forward()
    {
        var order = new List<int>();
        Scheduler.ScheduleOnce(TimeSpan.FromSeconds(2), () => order.Add(3));
        Scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), () => order.Add(1));
        Scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), () => order.Add(2));
        Scheduler.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([1, 2, 3], order);
        Assert.Equal(TimeSpan.FromSeconds(5), Scheduler.MonotonicClock);
        Assert.Throws<ArgumentOutOfRangeException>(() => Scheduler.Advance(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Scheduler.ScheduleOnce(TimeSpan.FromSeconds(-1), () => { }));
    }

    private sealed class TimerUser : ReceiveActor
    {
        public TimerUser(IActorRef probe, ManualResetEventSlim? gate = null)
        {
            Receive<string>(s => s == "single", _ =>
            {
                Timers.StartSingleTimer("k", "tick", TimeSpan.FromSeconds(1));
                Sender.Tell(Timers.IsTimerActive("k"), Self);
            });
            Receive<string>(s => s == "periodic", _ =>
            {
                Timers.StartPeriodicTimer("p", "ptick", TimeSpan.FromSeconds(1));
                Sender.Tell(true, Self);
            });
            Receive<string>(s => s == "cancel", _ => Timers.Cancel("p"));
            Receive<string>(s => s == "active?", _ => Sender.Tell(Timers.IsTimerActive("k"), Self));
            Receive<string>(s => s == "block", _ =>
            {
                probe.Tell("blocked", Self);
                gate!.Wait(TimeSpan.FromSeconds(30));
            });
            Receive<string>(s => probe.Tell(s, Sender));
        }
    }

    [Fact]
    public void A_single_timer_fires_once_and_is_then_inactive()
    {
        var a = Sys.ActorOf(Props.Create(() => new TimerUser(TestActor, null)));
        a.Tell("single");
        ExpectMsg(true);
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("tick");
        Assert.Same(Sys.DeadLetters, LastSender); // timer messages have no sender
        a.Tell("active?");
        ExpectMsg(false);
        Scheduler.Advance(TimeSpan.FromSeconds(5));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_periodic_timer_repeats_and_a_cancelled_timers_queued_message_is_dropped()
    {
        using var gate = new ManualResetEventSlim();
        var a = Sys.ActorOf(Props.Create(() => new TimerUser(TestActor, gate)));
        a.Tell("periodic");
        ExpectMsg(true);
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("ptick");
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("ptick");
        a.Tell("block");
        ExpectMsg("blocked");
        a.Tell("cancel");
        Scheduler.Advance(TimeSpan.FromSeconds(1)); // its message is queued behind "cancel"
        gate.Set();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Scheduler.Advance(TimeSpan.FromSeconds(5));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Timers_are_cancelled_when_the_actor_stops()
    {
        var a = Sys.ActorOf(Props.Create(() => new TimerUser(TestActor, null)));
        a.Tell("periodic");
        ExpectMsg(true);
        a.Tell("single");
        ExpectMsg(true);
        Assert.Equal(2, Scheduler.PendingCount);
        Watch(a);
        Sys.Stop(a);
        ExpectTerminated(a);
        Assert.Equal(0, Scheduler.PendingCount);
    }

    private sealed class Sleepy : ReceiveActor
    {
        public Sleepy(IActorRef probe)
        {
            Context.SetReceiveTimeout(TimeSpan.FromSeconds(1));
            Receive<ReceiveTimeout>(_ => probe.Tell("timeout", Self));
            Receive<string>(s => s == "off", _ => Context.SetReceiveTimeout(null));
            Receive<string>(s => Sender.Tell(s, Self));
        }
    }

    [Fact]
    public void ReceiveTimeout_fires_after_idle_time_repeats_and_is_reset_by_messages()
    {
        var a = Sys.ActorOf(Props.Create(() => new Sleepy(TestActor)));
        a.Tell("started?");
        ExpectMsg("started?");
        Scheduler.Advance(TimeSpan.FromMilliseconds(900));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Scheduler.Advance(TimeSpan.FromMilliseconds(100));
        ExpectMsg("timeout");
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("timeout"); // again after another idle second
        Scheduler.Advance(TimeSpan.FromMilliseconds(600));
        a.Tell("busy");
        ExpectMsg("busy");
        Scheduler.Advance(TimeSpan.FromMilliseconds(600)); // 0.6 s since the last message
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("timeout");
        a.Tell("off");
        Scheduler.Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}

public sealed class RealTimeSchedulerTests : ActorTestKit
{
    [Fact]
    public void The_real_scheduler_sends_once_and_repeatedly_until_cancelled()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(20), TestActor, "once", null);
        ExpectMsg("once");
        var repeat = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), TestActor, "tick", null);
        ReceiveN(3);
        repeat.Cancel();
        while (ReceiveOne(TimeSpan.FromMilliseconds(200)) is not null) { } // one may have been on its way
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var cancelled = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "never", null);
        cancelled.Cancel();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
