// Population throughput: agent-steps/s of a population of RL² agents (GRU-256) on Bernoulli bandits
// (k=5, 100 pulls a trial), acting through the actor system (agent ↔ batcher ↔ task messages), beside the
// limit: the batched forward pass of the same network at the same batch size, timed alone in the same
// process. Then the memory per agent with 100,000 agents alive. Figures are medians over several rounds.
// Usage: [--agents N] [--rounds N] [--big N]
using System.Diagnostics;
using System.Globalization;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Population;
using MetaRL.Bench.Population;
using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;
using MetaRL.Policies.Rl2;
using MetaRL.Runtime;
using static MetaRL.Torch.torch;

int agents = 4096, rounds = 5, big = 100_000;
for (int a = 0; a < args.Length; a++)
{
    int Next() => int.Parse(args[++a], CultureInfo.InvariantCulture);
    if (args[a] == "--agents" && a + 1 < args.Length) agents = Next();
    else if (args[a] == "--rounds" && a + 1 < args.Length) rounds = Next();
    else if (args[a] == "--big" && a + 1 < args.Length) big = Next();
    else { Console.Error.WriteLine($"unknown argument '{args[a]}'; expected --agents N, --rounds N or --big N"); return 2; }
}
if (agents < 1 || rounds < 1 || big < 0) { Console.Error.WriteLine("--agents and --rounds must be at least 1, --big at least 0"); return 2; }

const int Arms = 5, Pulls = 100, Hidden = 256, InputSize = 1 + Arms + 2;
// libtorch's thread count (OpenMP) is per calling thread: the batchers run on the runtime's worker threads
// with libtorch's default, so the limit is measured on a fresh thread with that same default.
manual_seed(1);
float[] parameters;
using (var m = new Rl2Model(InputSize, Arms, Hidden)) parameters = MetaRL.Policies.ParameterVector.Get(m);
Console.WriteLine($"MetaRL population throughput: RL² GRU-{Hidden}, bernoulli-bandit k={Arms}, {Pulls} pulls a trial; {Environment.ProcessorCount} CPUs, libtorch default threads, .NET {Environment.Version}");

// The limit: one batched forward step of the same network, alone, on a thread like a batcher's.
double limit = 0;
var limitThread = new Thread(() =>
{
    using var policy = new InContextPolicy(new Rl2Model(InputSize, Arms, Hidden));
    policy.LoadParameters(parameters);
    var x = GC.AllocateArray<float>(agents * InputSize, pinned: true);
    var h = GC.AllocateArray<float>(agents * Hidden, pinned: true);
    var p = GC.AllocateArray<float>(agents * Arms, pinned: true);
    var v = GC.AllocateArray<float>(agents, pinned: true);
    for (int i = 0; i < agents; i++) x[i * InputSize] = 1;
    for (int i = 0; i < 20; i++) policy.Step(agents, x, h, p, v);
    var samples = new List<double>();
    for (int r = 0; r < rounds; r++)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 50; i++) policy.Step(agents, x, h, p, v);
        samples.Add(50.0 * agents / sw.Elapsed.TotalSeconds);
    }
    limit = Median(samples);
});
limitThread.Start();
limitThread.Join();
Console.WriteLine($"{"batched forward alone (the limit)",-44} {limit,14:N0} agent-steps/s  (batch {agents})");

foreach (var (mode, batchers) in new[] { (BatchingMode.Lockstep, 1), (BatchingMode.Async, 1), (BatchingMode.Async, 2) })
{
    var (rate, meanBatch) = Throughput(mode, batchers, agents, rounds);
    Console.WriteLine($"{$"population, {mode.ToString().ToLowerInvariant()}, {batchers} batcher(s)",-44} {rate,14:N0} agent-steps/s  mean batch {meanBatch,6:N0}  {rate / limit,6:P1} of the limit");
}

if (big > 0)
{
    var (managed, rss) = MemoryPerAgent(big);
    Console.WriteLine($"memory per agent with {big:N0} agents alive: {managed:N0} B managed (GC), {rss:N0} B resident (incl. native tensors)");
}
return 0;

(double Rate, double MeanBatch) Throughput(BatchingMode mode, int batchers, int n, int rounds)
{
    using var system = ActorSystem.Create("bench");
    var population = system.ActorOf(Props.Create(() => new Population<int, BanditTask>(Spec(n, mode, batchers), new Reports())), "population");
    PopulationSnapshot Snap() => population.Ask<PopulationSnapshot>(GetPopulationStatistics.Instance, TimeSpan.FromMinutes(1)).Result;
    // Windows of at least two trials' worth of steps; the first warms up the JIT and is not counted.
    long window = 2L * n * Pulls;
    var rates = new List<double>();
    var last = Snap();
    for (int r = 0; r <= rounds; r++)
    {
        PopulationSnapshot now;
        do { Thread.Sleep(50); now = Snap(); } while (now.EnvSteps - last.EnvSteps < window);
        if (r > 0) rates.Add((now.EnvSteps - last.EnvSteps) / (now.Elapsed - last.Elapsed).TotalSeconds);
        last = now;
    }
    system.Terminate().Wait(TimeSpan.FromMinutes(1));
    return (Median(rates), last.MeanBatch);
}

(long Managed, long Resident) MemoryPerAgent(int n)
{
    long managedBefore = GC.GetTotalMemory(true);
    long rssBefore = Environment.WorkingSet;
    var system = ActorSystem.Create("bench-memory");
    var population = system.ActorOf(Props.Create(() => new Population<int, BanditTask>(Spec(n, BatchingMode.Async, 1), new Reports())), "population");
    // Every agent alive and mid-trial (its trial buffer holding steps), not just constructed.
    while (population.Ask<PopulationSnapshot>(GetPopulationStatistics.Instance, TimeSpan.FromMinutes(1)).Result.EnvSteps < 3L * n) Thread.Sleep(100);
    long managed = GC.GetTotalMemory(true) - managedBefore;
    long rss = Environment.WorkingSet - rssBefore;
    system.Terminate().Wait(TimeSpan.FromMinutes(1));
    return (managed / n, rss / n);
}

PopulationSpec<int, BanditTask> Spec(int n, BatchingMode mode, int batchers) => new(
    EnvCatalog.Get<int, int, BanditTask>("bernoulli-bandit"), new EnvOptions(Arms: Arms, Split: TaskSplit.Train), Pulls,
    new PopulationOptions { Agents = n, Batchers = batchers, Mode = mode, MaxBatch = n / batchers, MaxWaitMs = 2, MaxPolicyLag = 1_000_000 },
    () => new InContextPolicy(new Rl2Model(InputSize, Arms, Hidden)), Hidden, new FrozenTrainer(parameters), 1_000_000, 1);

static double Median(List<double> xs)
{
    xs.Sort();
    return xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[xs.Count / 2 - 1] + xs[xs.Count / 2]) / 2;
}
