// Durable runs, measured (issue: durable runs): on SQLite (a run's own file) and PostgreSQL (the throwaway cluster of
// scripts/postgres.sh, or --postgres "<connection string>"):
//   1. checkpoint save and recovery of a real learner's state (PPO on RL² GRU-256 and GRU-1024: parameters and
//      Adam's moments), MB/s, medians of 7;
//   2. journal: metrics rows written one at a time as the learner writes them (each awaited), and replayed, rows/s;
//   3. the cost of persistence on training: a lockstep population training PPO with the run's SQLite journal and
//      checkpointEvery 10 against the same run without persistence, alternated, median update rate of each.
// Usage: bash bench/persistence.sh [--updates 40] [--reps 4]   (the script starts and stops PostgreSQL)
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using MetaRL.Actors;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Persistence;
using MetaRL.Actors.Population;
using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;
using MetaRL.Policies.Rl2;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int updates = Arg("--updates", 40), reps = Arg("--reps", 4);
string? postgres = ArgString("--postgres") ?? Environment.GetEnvironmentVariable("METARL_TEST_POSTGRES");
MetaRL.Torch.torch.set_num_threads(1);
MetaRL.Torch.torch.set_blas_threads(1);
var dir = Directory.CreateTempSubdirectory("metarl-bench-persistence-").FullName;
Console.WriteLine($"persistence bench: {Environment.ProcessorCount} cores, .NET {Environment.Version}; PostgreSQL {(postgres is null ? "not given (skipped)" : "on " + postgres)}");

var stores = new List<(string Name, Config Config)> { ("SQLite", MetaRlPersistence.Sqlite(Path.Combine(dir, "bench.db"))) };
if (postgres is not null) stores.Add(("PostgreSQL", MetaRlPersistence.PostgreSql(postgres)));

Console.WriteLine();
Console.WriteLine("| store | learner state | MB | save MB/s (median) | recover MB/s (median) | rows written/s | rows replayed/s |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
foreach (var (name, persistence) in stores)
{
    using var system = ActorSystem.Create("bench", persistence.WithFallback(MetaRlAkka.Config));
    var ext = Persistence.Instance.Apply(system);
    var (written, replayed) = Journal(ext.JournalFor(null), system);
    foreach (int hidden in new[] { 256, 1024 })
    {
        var state = TrainerState(hidden);
        var (save, recover) = Snapshots(ext.SnapshotStoreFor(null), system, state);
        double mb = state.TrainerState.Length / 1e6;
        Console.WriteLine($"| {name} | PPO, GRU-{hidden} | {mb:0.0} | {mb / save:0} | {mb / recover:0} | {written:0} | {replayed:0} |");
    }
}

Console.WriteLine();
Console.WriteLine($"training cost ({reps} alternated pairs of {updates}-update lockstep runs, 256 agents, bandit k=5 × 100 pulls, GRU-64, PPO):");
var plain = new List<double>();
var durable = new List<double>();
for (int r = 0; r < reps; r++)
{
    // Alternated in both orders, so that neither variant always runs on the warmer process.
    double Durable() => UpdatesPerSecond(MetaRlPersistence.Sqlite(Path.Combine(dir, $"train-{r}.db")), new LearnerPersistence($"bench-{r}", 10));
    if (r % 2 == 0) { plain.Add(UpdatesPerSecond(null, null)); durable.Add(Durable()); }
    else { durable.Add(Durable()); plain.Add(UpdatesPerSecond(null, null)); }
    Console.WriteLine($"  pair {r + 1}: without persistence {plain[^1]:0.000} updates/s, with SQLite and checkpointEvery 10 {durable[^1]:0.000} updates/s");
}
// Two readings of one noisy machine: the ratio of the medians, and the median of each pair's ratio (the pair ran
// back to back, so it shares the machine's mood of the moment).
double cost = 1 - Median(durable) / Median(plain);
double pairCost = 1 - Median(durable.Zip(plain, (d, p) => d / p).ToList());
Console.WriteLine($"median: without {Median(plain):0.000}, with {Median(durable):0.000} updates/s; persistence costs {cost * 100:0.0} % " +
    $"(ratio of medians), {pairCost * 100:0.0} % (median of the pairs' ratios); goal <= 3 %");
Directory.Delete(dir, recursive: true);
return;

// A real learner's checkpoint: PPO on an RL² GRU after one update, so Adam's moments exist.
LearnerSnapshot TrainerState(int hidden)
{
    using var trainer = new PpoTrainer(new Rl2Model(9, 5, hidden), new PpoOptions(), 1);
    var trial = new Trajectory(0, 0, 4, 9, new float[36], [0, 1, 2, 3], [-1.6f, -1.6f, -1.6f, -1.6f], [0f, 0, 0, 0], [1f, 0, 1, 0], [true, true, true, true], 0, 0);
    trainer.Update([trial, trial with { AgentIndex = 1 }], 0, 0);
    using var stream = new MemoryStream();
    trainer.SaveState(stream);
    return new LearnerSnapshot(1, 0, RunCounters.Zero, stream.ToArray());
}

(double SaveSeconds, double RecoverSeconds) Snapshots(IActorRef store, ActorSystem system, LearnerSnapshot state)
{
    string id = $"snap-{Guid.NewGuid():N}";
    var saves = new List<double>();
    var loads = new List<double>();
    for (int i = 1; i <= 8; i++)
    {
        var clock = Stopwatch.StartNew();
        var saved = store.Ask(new SaveSnapshot(new SnapshotMetadata(id, i, DateTime.UtcNow), state), TimeSpan.FromMinutes(2)).Result;
        if (saved is not SaveSnapshotSuccess) throw new InvalidOperationException($"save failed: {saved}");
        if (i > 1) saves.Add(clock.Elapsed.TotalSeconds); // the first warms up the connection and the serializer
        clock.Restart();
        var loaded = store.Ask<LoadSnapshotResult>(new LoadSnapshot(id, SnapshotSelectionCriteria.Latest, long.MaxValue), TimeSpan.FromMinutes(2)).Result;
        if (loaded.Snapshot?.Snapshot is not LearnerSnapshot back || back.TrainerState.Length != state.TrainerState.Length)
            throw new InvalidOperationException("recovery read back something else");
        if (i > 1) loads.Add(clock.Elapsed.TotalSeconds);
    }
    return (Median(saves), Median(loads));
}

(double Written, double Replayed) Journal(IActorRef journal, ActorSystem system)
{
    string id = $"rows-{Guid.NewGuid():N}";
    const int rows = 1000;
    var probe = system.ActorOf(Props.Create(() => new Relay()), "relay-" + Guid.NewGuid().ToString("N"));
    var clock = new Stopwatch();
    for (int i = 1; i <= rows + 50; i++)
    {
        if (i == 51) clock.Start(); // 50 rows of warm-up
        var row = new UpdateCompleted(i, 256, 0, 0, 1, 0, 0, 0, 0, false, null, 0, 0.1, []) { Counters = new RunCounters(i, i, 0, 256, i) };
        var write = new WriteMessages([new AtomicWrite(new Persistent(row, i, id, writerGuid: "bench", sender: probe))], probe, 1);
        Relay.Expect<WriteMessageSuccess>(probe, journal, write);
    }
    double written = rows / clock.Elapsed.TotalSeconds;
    clock.Restart();
    int n = Relay.CountReplay(probe, journal, new ReplayMessages(1, long.MaxValue, long.MaxValue, id, probe));
    double replayed = n / clock.Elapsed.TotalSeconds;
    system.Stop(probe);
    return (written, replayed);
}

double UpdatesPerSecond(Config? persistence, LearnerPersistence? learner)
{
    var config = (persistence ?? ConfigurationFactory.Empty).WithFallback(MetaRlAkka.Config);
    using var system = ActorSystem.Create("train", config);
    const int agents = 256, hidden = 64, arms = 5, pulls = 100;
    int input = 1 + arms + 2; // the RL² input: onehot(obs of 1), onehot(previous action), reward, done
    float[] initial;
    MetaRL.Torch.torch.manual_seed(1);
    using (var m = new Rl2Model(input, arms, hidden)) initial = ParameterVector.Get(m);
    var observer = new UpdateClock(updates);
    var spec = new PopulationSpec<int, int, BanditTask>(
        EnvCatalog.Get<int, int, BanditTask>("bernoulli-bandit"), new EnvOptions(Arms: arms, Split: TaskSplit.Train), pulls,
        new PopulationOptions { Agents = agents },
        () => new InContextPolicy(new Rl2Model(input, arms, hidden)), hidden,
        () =>
        {
            var model = new Rl2Model(input, arms, hidden);
            ParameterVector.Load(model, initial);
            return new PpoTrainer(model, new PpoOptions(), 11);
        }, updates, 1, Persistence: learner);
    system.ActorOf(FactoryProps.Create(() => new Population<int, int, BanditTask>(spec, observer)), "population");
    return observer.Rate.Wait(TimeSpan.FromMinutes(20)) ? observer.Rate.Result : throw new TimeoutException("the run did not finish in 20 minutes");
}

int Arg(string name, int fallback) => ArgString(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

string? ArgString(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static double Median(List<double> xs)
{
    var s = xs.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

/// <summary>Updates per second from update 5 to the last (the first ones warm up the JIT and the database).</summary>
internal sealed class UpdateClock(int updates) : IPopulationObserver
{
    private readonly TaskCompletionSource<double> _rate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = new();

    public Task<double> Rate => _rate.Task;

    public void OnProgress(PopulationProgress progress)
    {
        long v = progress.Update.Version;
        if (v == 5) _clock.Start();
        if (v == updates) _rate.TrySetResult((updates - 5) / _clock.Elapsed.TotalSeconds);
    }

    public void OnFailed(PopulationFailure failure) => _rate.TrySetException(new InvalidOperationException(failure.ToString()));
}

/// <summary>Asks the journal in its own protocol (replies go to the actor named in the request) and hands the replies back.</summary>
internal sealed class Relay : ReceiveActor
{
    private TaskCompletionSource<object>? _next;
    private readonly Queue<object> _inbox = new();

    private sealed record Await(TaskCompletionSource<object> Reply);

    public Relay()
    {
        Receive<Await>(a =>
        {
            if (_inbox.TryDequeue(out var m)) a.Reply.TrySetResult(m);
            else _next = a.Reply;
        });
        ReceiveAny(m =>
        {
            if (_next is { } n) { _next = null; n.TrySetResult(m); }
            else _inbox.Enqueue(m);
        });
    }

    private static object Next(IActorRef relay)
    {
        var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        relay.Tell(new Await(reply));
        return reply.Task.Wait(TimeSpan.FromMinutes(1)) ? reply.Task.Result : throw new TimeoutException("the journal did not answer");
    }

    public static void Expect<T>(IActorRef relay, IActorRef journal, object request)
    {
        journal.Tell(request, relay);
        while (true)
        {
            var m = Next(relay);
            if (m is T) return;
            if (m is WriteMessagesSuccessful) continue;
            throw new InvalidOperationException($"the journal answered {m}");
        }
    }

    public static int CountReplay(IActorRef relay, IActorRef journal, object request)
    {
        journal.Tell(request, relay);
        int n = 0;
        while (Next(relay) is ReplayedMessage) n++;
        return n;
    }
}
