using System.Diagnostics;
using MetaRL.Runtime;

namespace MetaRL.Bench.Runtime;

/// <summary>Creates many actors under one parent, sends each one message, and measures the time and what the idle actors retain.</summary>
internal static class Spawn
{
    public enum Kind { Untyped, Receive }

    public readonly record struct Result(double Seconds, double BytesPerActor);

    private sealed class Counter(int total, TaskCompletionSource done)
    {
        private int _count;

        public void Hit()
        {
            if (Interlocked.Increment(ref _count) == total) done.TrySetResult();
        }
    }

    private sealed class UntypedOne(Counter counter) : UntypedActor
    {
        protected override void OnReceive(object message) => counter.Hit();
    }

    private sealed class ReceiveOne : ReceiveActor
    {
        public ReceiveOne(Counter counter) => ReceiveAny(_ => counter.Hit());
    }

    public static Result Run(ActorSystemSettings settings, Kind kind, int actors)
    {
        using var system = ActorSystem.Create("spawn", settings);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counter = new Counter(actors, done);
        var props = kind == Kind.Untyped ? Props.Create(() => new UntypedOne(counter)) : Props.Create(() => new ReceiveOne(counter));
        var refs = new IActorRef[actors]; // allocated before the baseline: the bench's own array is not the actors' cost
        long before = GC.GetTotalMemory(true);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < actors; i++)
        {
            var a = system.ActorOf(props);
            a.Tell(Msg.Instance, ActorRefs.NoSender);
            refs[i] = a;
        }
        Timing.Wait(done.Task, "spawn");
        sw.Stop();
        Thread.Sleep(200); // let the last turns end (an actor is idle once its turn has ended)
        long after = GC.GetTotalMemory(true);
        GC.KeepAlive(refs);
        return new Result(sw.Elapsed.TotalSeconds, (after - before) / (double)actors);
    }
}
