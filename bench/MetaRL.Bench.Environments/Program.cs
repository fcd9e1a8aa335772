// Vectorised env throughput on one thread: env steps per second for VectorEnv over Bernoulli bandits,
// Dark Room and (for reference) random tabular MDPs, at several vector widths, with random actions drawn
// ahead of time. Each figure is the median of several timed runs after a warm-up run. Beside it, the same
// envs stepped by a hand-written loop (step, reset when done) in the same process: the ratio is what the
// VectorEnv's bookkeeping costs. Every case is warmed up for half a second first (tiered JIT). Usage: [--runs N] [--steps TOTAL_ENV_STEPS_PER_RUN]
using System.Diagnostics;
using System.Globalization;
using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Grid;
using MetaRL.Environments.Tabular;
using MetaRL.Environments.Vector;

int runs = 7;
long stepsPerRun = 4_000_000;
for (int a = 0; a < args.Length; a++)
{
    if (args[a] == "--runs" && a + 1 < args.Length) runs = int.Parse(args[++a], CultureInfo.InvariantCulture);
    else if (args[a] == "--steps" && a + 1 < args.Length) stepsPerRun = long.Parse(args[++a], CultureInfo.InvariantCulture);
    else { Console.Error.WriteLine($"unknown argument '{args[a]}'; expected --runs N or --steps N"); return 2; }
}
if (runs < 1 || stepsPerRun < 1) { Console.Error.WriteLine("--runs and --steps must be at least 1"); return 2; }

Console.WriteLine($"MetaRL env throughput, one thread: median of {runs} runs of {stepsPerRun:N0} env steps each ({Environment.ProcessorCount} CPUs, .NET {Environment.Version})");
Console.WriteLine($"{"env",-26} {"envs",6} {"VectorEnv steps/s",18} {"plain loop steps/s",19} {"vector/plain",13}");

var mdp = new RandomMdpDistribution().Sample(new Random(1));
var cases = new (string Name, int Actions, Func<int, IEnv<int, int>> Make)[]
{
    ("bernoulli-bandit k=5", 5, i => new BernoulliBanditEnv(new UniformBanditDistribution(5).Sample(new Random(i)), seed: i)),
    ("dark-room 9x9", GridActions.Count, i => DarkRoomEnv.Create(new DarkRoomTask(i % 9, i / 9 % 9))),
    ("tabular-mdp 10x5", 5, i => new TabularMdpEnv(mdp, seed: i)),
};
foreach (var (name, actionCount, make) in cases)
{
    foreach (int n in new[] { 1, 64, 1024 })
    {
        long vectorSteps = Math.Max(1, stepsPerRun / n);
        var table = new int[n * 64];
        var rng = new Random(7);
        for (int i = 0; i < table.Length; i++) table[i] = rng.Next(actionCount);

        var vec = VectorEnv<int, int>.Create(n, make);
        vec.Reset(0);
        double Vector(long vectorSteps)
        {
            var sw = Stopwatch.StartNew();
            for (long t = 0; t < vectorSteps; t++) vec.Step(table.AsSpan((int)(t & 63) * n, n));
            return n * vectorSteps / sw.Elapsed.TotalSeconds;
        }

        var envs = Enumerable.Range(0, n).Select(make).ToArray();
        foreach (var e in envs) e.Reset(0);
        double Plain(long vectorSteps)
        {
            var sw = Stopwatch.StartNew();
            for (long t = 0; t < vectorSteps; t++)
            {
                int offset = (int)(t & 63) * n;
                for (int i = 0; i < envs.Length; i++)
                    if (envs[i].Step(table[offset + i]).Done) envs[i].Reset();
            }
            return n * vectorSteps / sw.Elapsed.TotalSeconds;
        }

        // Warm-up: at least half a second of many short calls, so that tiered JIT has promoted both loops to
        // optimised code (a single long first call would be timed partly in tier-0 code).
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 0.5) { Vector(Math.Max(1, 20_000 / n)); Plain(Math.Max(1, 20_000 / n)); }
        var v = new double[runs];
        var p = new double[runs];
        for (int r = 0; r < runs; r++) { v[r] = Vector(vectorSteps); p[r] = Plain(vectorSteps); } // interleaved, so drift hits both alike
        double mv = Median(v), mp = Median(p);
        Console.WriteLine($"{name,-26} {n,6} {mv,18:N0} {mp,19:N0} {mv / mp,13:F2}");
    }
}
return 0;

static double Median(double[] xs)
{
    var s = xs.OrderBy(x => x).ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}
