using System.Diagnostics;
using System.Threading.Channels;
using MetaRL.Runtime;

namespace MetaRL.Bench.Runtime;

/// <summary>Many senders, one receiver.</summary>
internal static class FanIn
{
    private sealed record Go(IActorRef Target);

    private sealed class Sender(int messages) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            var target = ((Go)message).Target;
            for (int i = 0; i < messages; i++) target.Tell(Msg.Instance, Self);
        }
    }

    private sealed class Sink(long total, TaskCompletionSource done) : UntypedActor
    {
        private long _count;

        protected override void OnReceive(object message)
        {
            if (++_count == total) done.TrySetResult();
        }
    }

    public static double Runtime(ActorSystemSettings settings, int senders, int messages)
    {
        using var system = ActorSystem.Create("fanin", settings);
        long total = (long)senders * messages;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = system.ActorOf(Props.Create(() => new Sink(total, done)), "sink");
        var props = Props.Create(() => new Sender(messages));
        var all = Enumerable.Range(0, senders).Select(_ => system.ActorOf(props)).ToArray();
        var go = new Go(sink);
        var sw = Stopwatch.StartNew();
        foreach (var s in all) s.Tell(go, ActorRefs.NoSender);
        Timing.Wait(done.Task, "runtime fan-in");
        sw.Stop();
        return Timing.PerSecond(total, sw);
    }

    public static double Channels(int senders, int messages)
    {
        var channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        long total = (long)senders * messages;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            await go.Task.ConfigureAwait(false);
            for (int i = 0; i < messages; i++) channel.Writer.TryWrite(Msg.Instance);
        })).ToArray();
        var reader = Task.Run(async () =>
        {
            long n = 0;
            while (await channel.Reader.WaitToReadAsync().ConfigureAwait(false))
                while (channel.Reader.TryRead(out _))
                    if (++n == total) return;
        });
        var sw = Stopwatch.StartNew();
        go.SetResult();
        Timing.Wait(reader, "channels fan-in");
        sw.Stop();
        Task.WaitAll(writers);
        return Timing.PerSecond(total, sw);
    }
}
