using System.Diagnostics;
using System.Threading.Channels;
using MetaRL.Runtime;

namespace MetaRL.Bench.Runtime;

/// <summary>P pairs bounce messages: the pinger keeps <c>inFlight</c> messages outstanding until it has had <c>total</c> replies.</summary>
internal static class PingPong
{
    private sealed record Start(IActorRef Ponger);

    private sealed class Pinger(int inFlight, long total, TaskCompletionSource done) : UntypedActor
    {
        private IActorRef _ponger = ActorRefs.Nobody;
        private long _sent;
        private long _received;

        protected override void OnReceive(object message)
        {
            if (message is Start s)
            {
                _ponger = s.Ponger;
                for (; _sent < inFlight && _sent < total; _sent++) _ponger.Tell(Msg.Instance, Self);
                return;
            }
            if (++_received == total)
            {
                done.TrySetResult();
                return;
            }
            if (_sent < total)
            {
                _sent++;
                _ponger.Tell(message, Self);
            }
        }
    }

    private sealed class Ponger : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }

    /// <summary>Messages per second through the actor runtime (requests and replies).</summary>
    public static double Runtime(ActorSystemSettings settings, int pairs, int inFlight, long perPair)
    {
        using var system = ActorSystem.Create("pingpong", settings);
        var done = new TaskCompletionSource[pairs];
        var pingers = new IActorRef[pairs];
        var pongers = new IActorRef[pairs];
        for (int p = 0; p < pairs; p++)
        {
            var tcs = done[p] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pingers[p] = system.ActorOf(Props.Create(() => new Pinger(inFlight, perPair, tcs)));
            pongers[p] = system.ActorOf(Props.Create(() => new Ponger()));
        }
        var sw = Stopwatch.StartNew();
        for (int p = 0; p < pairs; p++) pingers[p].Tell(new Start(pongers[p]), ActorRefs.NoSender);
        Timing.Wait(Task.WhenAll(done.Select(d => d.Task)), "runtime ping-pong");
        sw.Stop();
        return Timing.PerSecond(2 * perPair * pairs, sw);
    }

    /// <summary>The reference: the same pattern over two unbounded channels per pair, one async loop per side.</summary>
    public static double Channels(int pairs, int inFlight, long perPair)
    {
        var options = new UnboundedChannelOptions { SingleReader = true, SingleWriter = true };
        var tasks = new List<Task>();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (int p = 0; p < pairs; p++)
        {
            var toPong = Channel.CreateUnbounded<object>(options);
            var toPing = Channel.CreateUnbounded<object>(options);
            tasks.Add(Task.Run(() => PingSide(toPong.Writer, toPing.Reader, inFlight, perPair, go.Task)));
            tasks.Add(Task.Run(() => PongSide(toPong.Reader, toPing.Writer, perPair)));
        }
        var sw = Stopwatch.StartNew();
        go.SetResult();
        Timing.Wait(Task.WhenAll(tasks), "channels ping-pong");
        sw.Stop();
        return Timing.PerSecond(2 * perPair * pairs, sw);
    }

    private static async Task PingSide(ChannelWriter<object> toPong, ChannelReader<object> fromPong, int inFlight, long total, Task go)
    {
        await go.ConfigureAwait(false);
        long sent = 0, received = 0;
        for (; sent < inFlight && sent < total; sent++) toPong.TryWrite(Msg.Instance);
        while (await fromPong.WaitToReadAsync().ConfigureAwait(false))
            while (fromPong.TryRead(out var m))
            {
                if (++received == total) return;
                if (sent < total)
                {
                    sent++;
                    toPong.TryWrite(m);
                }
            }
    }

    private static async Task PongSide(ChannelReader<object> fromPing, ChannelWriter<object> toPing, long total)
    {
        long n = 0;
        while (await fromPing.WaitToReadAsync().ConfigureAwait(false))
            while (fromPing.TryRead(out var m))
            {
                toPing.TryWrite(m);
                if (++n == total) return;
            }
    }
}
