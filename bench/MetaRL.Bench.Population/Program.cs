// Population throughput on Akka.NET: agent-steps/s of a population of RL² agents (GRU-H) on Bernoulli bandits
// (k=5, 100 pulls a trial), acting through the actor system (agent ↔ batcher ↔ task messages), beside
//  - the limit: the batched forward pass of the same network at the same batch, timed alone on a thread set up
//    as a batcher's (one libtorch thread), in the same process;
//  - the PyTorch peer (bench/peers/population_peer.py, Debian's /usr/bin/python3): the same agents vectorised,
//    one batched forward per step, one thread.
// Then memory per agent with 100,000 agents alive mid-trial, and 1,000,000 agents through two lockstep rounds
// with the process's peak RSS. Figures are medians over several windows.
// Usage: [--agents N] [--rounds N] [--hidden H[,H…]] [--big N] [--million N] [--no-peer] [--hocon 'akka settings']
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Population;
using MetaRL.Bench.Population;
using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;
using MetaRL.Policies.Rl2;
using static MetaRL.Torch.torch;

int agents = 4096, rounds = 5, big = 100_000, million = 1_000_000;
int[] hiddens = [256, 64];
bool peer = true;
var config = MetaRlAkka.Config;
for (int a = 0; a < args.Length; a++)
{
    int Next() => int.Parse(args[++a], CultureInfo.InvariantCulture);
    if (args[a] == "--agents" && a + 1 < args.Length) agents = Next();
    else if (args[a] == "--rounds" && a + 1 < args.Length) rounds = Next();
    else if (args[a] == "--big" && a + 1 < args.Length) big = Next();
    else if (args[a] == "--million" && a + 1 < args.Length) million = Next();
    else if (args[a] == "--hidden" && a + 1 < args.Length) hiddens = args[++a].Split(',').Select(h => int.Parse(h, CultureInfo.InvariantCulture)).ToArray();
    else if (args[a] == "--no-peer") peer = false;
    else if (args[a] == "--hocon" && a + 1 < args.Length) config = Akka.Configuration.ConfigurationFactory.ParseString(args[++a]).WithFallback(config);
    else { Console.Error.WriteLine($"unknown argument '{args[a]}'; expected --agents N, --rounds N, --hidden H[,H…], --big N, --million N, --no-peer or --hocon TEXT"); return 2; }
}
if (agents < 1 || rounds < 1 || big < 0 || million < 0 || hiddens.Any(h => h < 1)) { Console.Error.WriteLine("--agents, --rounds and --hidden must be at least 1, --big and --million at least 0"); return 2; }

const int Arms = 5, Pulls = 100, InputSize = 1 + Arms + 2;
// One thread per batcher for the whole computation: OpenBLAS's pool would otherwise run every GEMM on all cores,
// spinning against the agents (and the peer gets OPENBLAS_NUM_THREADS=1 for the same reason).
if (!set_blas_threads(1)) Console.WriteLine("(libtorch does not use OpenBLAS here: its BLAS threads are left as they are)");
Console.WriteLine($"MetaRL population throughput on Akka.NET: RL² GRU, bernoulli-bandit k={Arms}, {Pulls} pulls a trial, {agents} agents; " +
    $"{Environment.ProcessorCount} CPUs, 1 libtorch and 1 BLAS thread per batcher, .NET {Environment.Version}");

foreach (int hidden in hiddens)
{
    manual_seed(1);
    float[] parameters;
    using (var m = new Rl2Model(InputSize, Arms, hidden)) parameters = ParameterVector.Get(m);
    Console.WriteLine($"GRU-{hidden}:");
    double limit = Limit(hidden, parameters);
    Console.WriteLine($"  {"batched forward alone (the limit)",-42} {limit,10:N0} agent-steps/s  (batch {agents})");
    double best = 0;
    foreach (var (mode, batchers) in new[] { (BatchingMode.Lockstep, 1), (BatchingMode.Async, 1), (BatchingMode.Async, 2) })
    {
        var (rate, meanBatch, cores) = Throughput(mode, batchers, hidden, parameters);
        if (mode == BatchingMode.Async) best = Math.Max(best, rate);
        Console.WriteLine($"  {$"population, {mode.ToString().ToLowerInvariant()}, {batchers} batcher(s)",-42} {rate,10:N0} agent-steps/s  mean batch {meanBatch,6:N0}  {rate / limit,6:P1} of the limit  ({cores:0.00} cores busy)");
    }
    if (peer && PeerRate(hidden) is { } p)
        Console.WriteLine($"  {"PyTorch peer (1 thread, vectorised)",-42} {p,10:N0} agent-steps/s  population (best async) / peer = {best / p:0.00}x; limit / peer = {limit / p:0.00}x");
}

if (big > 0)
{
    var (managed, rss) = MemoryPerAgent(big, hiddens[0]);
    Console.WriteLine($"memory per agent with {big:N0} agents alive (GRU-{hiddens[0]}): {managed:N0} B managed (GC), {rss:N0} B resident (incl. native tensors)");
}
if (million > 0)
{
    var (firstRound, peak) = Million(million, hiddens[0]);
    Console.WriteLine($"{million:N0} agents, GRU-{hiddens[0]}, lockstep: first round (every agent's first step) {firstRound:0.0} s; peak RSS {peak / 1e9:0.00} GB after two rounds");
}
return 0;

// One batched forward step of the same network, alone, on a thread like a batcher's.
double Limit(int hidden, float[] parameters)
{
    double limit = 0;
    var thread = new Thread(() =>
    {
        ComputeThreads.UseOnThisThread(1);
        using var policy = new InContextPolicy(new Rl2Model(InputSize, Arms, hidden));
        policy.LoadParameters(parameters);
        var x = GC.AllocateArray<float>(agents * InputSize, pinned: true);
        var h = GC.AllocateArray<float>(agents * hidden, pinned: true);
        var p = GC.AllocateArray<float>(agents * Arms, pinned: true);
        var v = GC.AllocateArray<float>(agents, pinned: true);
        for (int i = 0; i < agents; i++) x[i * InputSize] = 1;
        int steps = 0;
        // As in the population, every agent's memory starts over with each trial of Pulls steps.
        void Step()
        {
            if (steps++ % Pulls == 0) Array.Clear(h);
            policy.Step(agents, x, h, p, v);
        }
        // The first seconds of a process run the step several times slower (seen here: 150k, then 200k, 430k,
        // 590k agent-steps/s at GRU-64 in successive windows): warm up for 5 s before timing.
        for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(5);) Step();
        var samples = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 50; i++) Step();
            samples.Add(50.0 * agents / sw.Elapsed.TotalSeconds);
        }
        limit = Median(samples);
    });
    thread.Start();
    thread.Join();
    return limit;
}

(double Rate, double MeanBatch, double Cores) Throughput(BatchingMode mode, int batchers, int hidden, float[] parameters)
{
    using var system = ActorSystem.Create("bench", config);
    var population = system.ActorOf(MetaRL.Actors.FactoryProps.Create(() => new Population<int, int, BanditTask>(Spec(agents, mode, batchers, hidden, parameters), new FailFastObserver())), "population");
    PopulationSnapshot Snap() => population.Ask<PopulationSnapshot>(GetPopulationStatistics.Instance, TimeSpan.FromMinutes(1)).Result;
    // Windows of at least two trials' worth of steps; the first warms up the JIT and is not counted.
    long window = 2L * agents * Pulls;
    var rates = new List<double>();
    var cores = new List<double>();
    var last = Snap();
    var lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    for (int r = 0; r <= rounds; r++)
    {
        PopulationSnapshot now;
        do { Thread.Sleep(50); now = Snap(); } while (now.EnvSteps - last.EnvSteps < window);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        if (r > 0)
        {
            rates.Add((now.EnvSteps - last.EnvSteps) / (now.Elapsed - last.Elapsed).TotalSeconds);
            cores.Add((cpu - lastCpu) / (now.Elapsed - last.Elapsed));
        }
        last = now;
        lastCpu = cpu;
    }
    system.Terminate().Wait(TimeSpan.FromMinutes(1));
    return (Median(rates), last.MeanBatch, Median(cores));
}

double? PeerRate(int hidden)
{
    var script = Path.Combine(AppContext.BaseDirectory, "peers", "population_peer.py");
    var start = new ProcessStartInfo("/usr/bin/python3", [script, "--agents", agents.ToString(CultureInfo.InvariantCulture), "--hidden",
        hidden.ToString(CultureInfo.InvariantCulture), "--pulls", Pulls.ToString(CultureInfo.InvariantCulture), "--rounds", rounds.ToString(CultureInfo.InvariantCulture)])
    { RedirectStandardOutput = true, RedirectStandardError = true };
    // One thread, as the population's batchers: torch.set_num_threads(1) does not reach OpenBLAS's own pool.
    start.Environment["OPENBLAS_NUM_THREADS"] = "1";
    try
    {
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("peer agent-steps/s:", StringComparison.Ordinal));
        if (process.ExitCode == 0 && line is not null) return double.Parse(line.Split(':')[1], CultureInfo.InvariantCulture);
        Console.WriteLine($"  PyTorch peer failed (exit {process.ExitCode}): {errors.Trim().Split('\n').LastOrDefault()}");
    }
    catch (System.ComponentModel.Win32Exception e)
    {
        Console.WriteLine($"  PyTorch peer not run: {e.Message} (install python3-torch)");
    }
    return null;
}

(long Managed, long Resident) MemoryPerAgent(int n, int hidden)
{
    long managedBefore = GC.GetTotalMemory(true);
    long rssBefore = Environment.WorkingSet;
    var system = ActorSystem.Create("bench-memory", config);
    manual_seed(1);
    float[] parameters;
    using (var m = new Rl2Model(InputSize, Arms, hidden)) parameters = ParameterVector.Get(m);
    var population = system.ActorOf(MetaRL.Actors.FactoryProps.Create(() => new Population<int, int, BanditTask>(Spec(n, BatchingMode.Async, 1, hidden, parameters), new FailFastObserver())), "population");
    // Every agent alive and mid-trial (its trial buffer holding steps), not just constructed.
    while (population.Ask<PopulationSnapshot>(GetPopulationStatistics.Instance, TimeSpan.FromMinutes(1)).Result.EnvSteps < 3L * n) Thread.Sleep(100);
    long managed = GC.GetTotalMemory(true) - managedBefore;
    long rss = Environment.WorkingSet - rssBefore;
    system.Terminate().Wait(TimeSpan.FromMinutes(1));
    return (managed / n, rss / n);
}

(double FirstRound, long PeakRss) Million(int n, int hidden)
{
    var system = ActorSystem.Create("bench-million", config);
    manual_seed(1);
    float[] parameters;
    using (var m = new Rl2Model(InputSize, Arms, hidden)) parameters = ParameterVector.Get(m);
    var clock = Stopwatch.StartNew();
    var population = system.ActorOf(MetaRL.Actors.FactoryProps.Create(() => new Population<int, int, BanditTask>(Spec(n, BatchingMode.Lockstep, 1, hidden, parameters), new FailFastObserver())), "population");
    PopulationSnapshot Snap() => population.Ask<PopulationSnapshot>(GetPopulationStatistics.Instance, TimeSpan.FromMinutes(5)).Result;
    double firstRound = 0;
    for (var s = Snap(); s.EnvSteps < 2L * n; s = Snap())
    {
        if (firstRound == 0 && s.EnvSteps >= n) firstRound = clock.Elapsed.TotalSeconds;
        Thread.Sleep(200);
    }
    if (firstRound == 0) firstRound = clock.Elapsed.TotalSeconds;
    long peak = PeakRss();
    system.Terminate().Wait(TimeSpan.FromMinutes(2));
    return (firstRound, peak);
}

static long PeakRss()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    return Environment.WorkingSet;
}

PopulationSpec<int, int, BanditTask> Spec(int n, BatchingMode mode, int batchers, int hidden, float[] parameters) => new(
    EnvCatalog.Get<int, int, BanditTask>("bernoulli-bandit"), new EnvOptions(Arms: Arms, Split: TaskSplit.Train), Pulls,
    new PopulationOptions { Agents = n, Batchers = batchers, Mode = mode, MaxBatch = n / batchers, MaxWaitMs = 2, MaxPolicyLag = 1_000_000 },
    () => new InContextPolicy(new Rl2Model(InputSize, Arms, hidden)), hidden, () => new FrozenTrainer(parameters), 1_000_000, 1);

static double Median(List<double> xs)
{
    xs.Sort();
    return xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[xs.Count / 2 - 1] + xs[xs.Count / 2]) / 2;
}
