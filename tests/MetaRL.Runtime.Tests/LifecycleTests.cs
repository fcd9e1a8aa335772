using System.Collections.Concurrent;

namespace MetaRL.Runtime.Tests;

public sealed class LifecycleTests : ActorTestKit
{
    [Fact]
    public void Hooks_run_in_order_and_PostStop_once()
    {
        var a = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "a")));
        ExpectMsg("a:ctor");
        ExpectMsg("a:preStart");
        Watch(a);
        Sys.Stop(a);
        ExpectMsg("a:postStop");
        ExpectTerminated(a);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void PoisonPill_stops_after_the_messages_queued_before_it()
    {
        var a = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "a")));
        ExpectMsg("a:ctor");
        ExpectMsg("a:preStart");
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        a.Tell(1);
        a.Tell(2);
        a.Tell(PoisonPill.Instance);
        a.Tell(3);
        ExpectMsg(1);
        ExpectMsg(2);
        ExpectMsg("a:postStop");
        Assert.Equal(3, ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void Kill_fails_the_actor_and_the_default_supervisor_stops_it()
    {
        var a = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "a")));
        ExpectMsg("a:ctor");
        ExpectMsg("a:preStart");
        Watch(a);
        a.Tell(Kill.Instance);
        ExpectMsg("a:postStop");
        ExpectTerminated(a);
    }

    private sealed class Stubborn : ReceiveActor
    {
        public Stubborn() => Receive<string>(s => s == "stop", _ => Context.Stop(Self));
    }

    [Fact]
    public async Task GracefulStop_is_true_once_stopped_and_false_when_the_actor_does_not_stop_in_time()
    {
        var a = Sys.ActorOf(Props.Create(() => new Stubborn()));
        Assert.False(await a.GracefulStop(TimeSpan.FromMilliseconds(200), "ignored"));
        Assert.True(await a.GracefulStop(TimeSpan.FromSeconds(10), "stop"));
        Assert.True(await a.GracefulStop(TimeSpan.FromSeconds(10))); // already dead: true at once
    }

    private sealed class ManyChildren : ReceiveActor
    {
        private readonly int[] _postStops;
        private readonly IActorRef _probe;

        public ManyChildren(int n, int[] postStops, IActorRef probe)
        {
            _postStops = postStops;
            _probe = probe;
            for (int i = 0; i < n; i++)
            {
                int id = i;
                Context.ActorOf(Props.Create(() => new CountingChild(postStops, id)), "c" + id);
            }
            Receive<string>(_ => Sender.Tell(Context.Children.Count, Self));
        }

        protected override void PostStop() => _probe.Tell(_postStops.Count(c => c == 1), Self); // children are all done by now
    }

    private sealed class CountingChild : ReceiveActor
    {
        private readonly int[] _postStops;
        private readonly int _id;

        public CountingChild(int[] postStops, int id)
        {
            _postStops = postStops;
            _id = id;
        }

        protected override void PostStop() => Interlocked.Increment(ref _postStops[_id]);
    }

    [Fact]
    public void Stopping_a_parent_of_10000_children_runs_each_PostStop_exactly_once_before_the_parent()
    {
        const int n = 10_000;
        var postStops = new int[n];
        var parent = Sys.ActorOf(Props.Create(() => new ManyChildren(n, postStops, TestActor)), "parent");
        parent.Tell("count");
        ExpectMsg(n);
        Watch(parent);
        Sys.Stop(parent);
        ExpectMsg(n, TimeSpan.FromSeconds(30)); // the parent's PostStop saw every child's
        ExpectTerminated(parent);
        Assert.All(postStops, c => Assert.Equal(1, c));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.All(postStops, c => Assert.Equal(1, c));
    }

    private sealed class TreeNode : ReceiveActor
    {
        private readonly string _name;
        private readonly ConcurrentQueue<string> _log;

        public TreeNode(string name, int depth, ConcurrentQueue<string> log)
        {
            _name = name;
            _log = log;
            if (depth > 0)
                for (int i = 0; i < 2; i++)
                {
                    string child = name + i;
                    Context.ActorOf(Props.Create(() => new TreeNode(child, depth - 1, log)), child);
                }
            ReceiveAny(_ => { });
        }

        protected override void PostStop() => _log.Enqueue(_name);
    }

    [Fact]
    public async Task System_shutdown_stops_children_before_parents_and_runs_PostStop_once()
    {
        var log = new ConcurrentQueue<string>();
        Sys.ActorOf(Props.Create(() => new TreeNode("a", 3, log)), "a");
        Sys.ActorOf(Props.Create(() => new TreeNode("b", 3, log)), "b");
        AwaitCondition(() => Sys.UserGuardianCell.ChildCells.All(c => c.ChildCells.Length == 2)); // started
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        var order = log.ToArray();
        Assert.Equal(2 * 15, order.Length);
        Assert.Equal(order.Length, order.Distinct().Count());
        var position = order.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        foreach (var name in order.Where(n => n.Length > 1))
            Assert.True(position[name] < position[name[..^1]], $"{name} stopped after its parent {name[..^1]}");
    }

    [Fact]
    public void Context_Stop_of_self_runs_PostStop_and_later_messages_are_dead_letters()
    {
        var a = Sys.ActorOf(Props.Create(() => new Stubborn()));
        Watch(a);
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        a.Tell("stop");
        ExpectTerminated(a);
        a.Tell("late");
        var dl = ExpectMsg<DeadLetter>();
        Assert.Equal("late", dl.Message);
        Assert.Same(a, dl.Recipient);
        Assert.Same(TestActor, dl.Sender);
    }

    [Fact]
    public void A_stopped_name_can_be_reused_and_the_new_ref_is_a_new_incarnation()
    {
        var a = Sys.ActorOf(Props.Create(() => new EchoActor()), "name");
        Watch(a);
        Sys.Stop(a);
        ExpectTerminated(a);
        IActorRef? b = null;
        AwaitAssert(() => b = Sys.ActorOf(Props.Create(() => new EchoActor()), "name")); // the guardian forgets the name asynchronously
        Assert.NotSame(a, b);
        Assert.Equal(a.Path, b!.Path);
        b.Tell("hi");
        ExpectMsg("hi");
    }
}
