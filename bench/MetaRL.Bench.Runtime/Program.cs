// Actor runtime throughput and footprint, each figure the median of several runs in one process after a warm-up run:
//  - ping-pong between P pairs of actors, strict (1 message in flight per pair) and pipelined (1,000 in flight per
//    pair), in messages/s, beside the same pattern over two unbounded System.Threading.Channels per pair with one
//    async loop per side (the reference), and the ratio runtime/channels;
//  - spawn: 1,000,000 actors created and each sent one message: time, and bytes retained per idle actor
//    (GC.GetTotalMemory(true) before and after);
//  - fan-in: 10,000 actors each sending 100 messages to one actor, in messages/s.
// Usage: [--runs N] [--scale F] (F multiplies the message counts; default 1).
using System.Diagnostics;
using System.Globalization;
using MetaRL.Bench.Runtime;
using MetaRL.Runtime;

int runs = 5;
double scale = 1;
int throughput = new ActorSystemSettings().Throughput;
string? only = null;
for (int a = 0; a < args.Length; a++)
{
    if (args[a] == "--runs" && a + 1 < args.Length) runs = int.Parse(args[++a], CultureInfo.InvariantCulture);
    else if (args[a] == "--scale" && a + 1 < args.Length) scale = double.Parse(args[++a], CultureInfo.InvariantCulture);
    else if (args[a] == "--throughput" && a + 1 < args.Length) throughput = int.Parse(args[++a], CultureInfo.InvariantCulture);
    else if (args[a] == "--only" && a + 1 < args.Length) only = args[++a];
    else { Console.Error.WriteLine($"unknown argument '{args[a]}'; expected --runs N, --scale F, --throughput N or --only pingpong|spawn|fanin"); return 2; }
}
if (runs < 1 || scale <= 0 || throughput < 1) { Console.Error.WriteLine("--runs and --throughput must be at least 1 and --scale positive"); return 2; }
var settings = new ActorSystemSettings { Throughput = throughput };

Console.WriteLine($"MetaRL.Runtime bench: medians of {runs} runs after a warm-up; throughput {throughput} ({Environment.ProcessorCount} CPUs, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC)");
if (only is null or "pingpong")
{
Console.WriteLine();
Console.WriteLine("ping-pong (messages/s, both directions counted); reference: 2 unbounded Channels per pair (SingleReader/SingleWriter), one async loop per side");
Console.WriteLine($"{"case",-22} {"runtime msg/s",15} {"channels msg/s",15} {"runtime/channels",17}");
foreach (int pairs in new[] { 1, 2 })
    foreach (int inFlight in new[] { 1, 1000 })
    {
        long perPair = (long)((inFlight == 1 ? 200_000 : 5_000_000) * scale / pairs);
        int gcs = GC.CollectionCount(0);
        double runtime = Median(runs, () => PingPong.Runtime(settings, pairs, inFlight, perPair));
        gcs = GC.CollectionCount(0) - gcs;
        double channels = Median(runs, () => PingPong.Channels(pairs, inFlight, perPair));
        string name = $"P={pairs} {(inFlight == 1 ? "strict" : "pipelined")}";
        Console.WriteLine($"{name,-22} {runtime,15:N0} {channels,15:N0} {runtime / channels,17:F2}   ({gcs} gen0 GCs in the runtime's runs)");
    }
}

if (only is null or "spawn")
{
Console.WriteLine();
int actors = (int)(1_000_000 * Math.Min(scale, 1));
Console.WriteLine($"spawn: {actors:N0} actors created under one parent, each sent one message, until all have processed it");
Console.WriteLine($"{"actor",-22} {"seconds",10} {"actors/s",12} {"bytes/idle actor",17}");
foreach (var kind in new[] { Spawn.Kind.Untyped, Spawn.Kind.Receive })
{
    var results = Enumerable.Range(0, runs + 1).Select(_ => Spawn.Run(settings, kind, actors)).Skip(1).ToArray();
    double seconds = MedianOf(results.Select(r => r.Seconds));
    double bytes = MedianOf(results.Select(r => r.BytesPerActor));
    Console.WriteLine($"{kind + "Actor",-22} {seconds,10:F2} {actors / seconds,12:N0} {bytes,17:N0}");
}
}

if (only is null or "fanin")
{
Console.WriteLine();
Console.WriteLine("fan-in: 10,000 actors each send 100 messages to one actor (messages/s); reference: 10,000 tasks writing to one Channel, one reader");
Console.WriteLine($"{"case",-22} {"runtime msg/s",15} {"channels msg/s",15} {"runtime/channels",17}");
{
    double runtime = Median(runs, () => FanIn.Runtime(settings, 10_000, 100));
    double channels = Median(runs, () => FanIn.Channels(10_000, 100));
    Console.WriteLine($"{"10,000 x 100",-22} {runtime,15:N0} {channels,15:N0} {runtime / channels,17:F2}");
}
}
return 0;

static double Median(int runs, Func<double> measure)
{
    measure(); // warm-up: tiered JIT, thread-pool ramp-up
    return MedianOf(Enumerable.Range(0, runs).Select(_ => measure()));
}

static double MedianOf(IEnumerable<double> values)
{
    var v = values.Order().ToArray();
    return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
}

namespace MetaRL.Bench.Runtime
{
    /// <summary>The one message object every case sends, so that no case pays for allocating messages.</summary>
    internal static class Msg
    {
        public static readonly object Instance = new();
    }

    internal static class Timing
    {
        public static double PerSecond(long count, Stopwatch sw) => count / sw.Elapsed.TotalSeconds;

        public static void Wait(Task task, string what)
        {
            if (!task.Wait(TimeSpan.FromMinutes(5))) throw new TimeoutException($"{what} did not finish within 5 minutes");
        }
    }
}
