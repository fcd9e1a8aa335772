using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;

namespace MetaRL.Actors.Cluster;

/// <summary>
/// The learner of a clustered run, a cluster singleton (docs/architecture.md §5). It is the in-process
/// <see cref="Learner"/> (journal, checkpoints, versions, rows) whose trials stay on their nodes: it learns the nodes
/// from their <see cref="NodeReport"/>s, counts the trials their <see cref="GradientWorker"/>s hold, and when enough are
/// in, runs a data-parallel update (DD-PPO): each worker with trials takes a part (<see cref="BeginShard"/>), then for
/// every minibatch step each computes its part's gradient at the parameters in force, and the learner sums them in
/// rank order (nodes by address), clips and steps Adam. A version's parameters are published to the node hosts only once
/// its checkpoint is durable, so a new incarnation on another node, which resumes from that checkpoint, never publishes
/// a version older than one the agents have acted with.
/// </summary>
/// <remarks>
/// A node lost during an update (its host terminates: the split-brain resolver downed it) or a step without an answer
/// within <see cref="UpdateTimeout"/> abandons the update: the parameters go back, the version advances as a skipped
/// update (as a non-finite one does). What a lost node held (its trials ready, its lost trials, and one trial in
/// progress per agent it hosted) is counted as abandoned in the next update.
/// </remarks>
public sealed class ClusterLearner : Learner
{
    /// <summary>The longest a step of an update may wait for its workers.</summary>
    public static readonly TimeSpan UpdateTimeout = TimeSpan.FromSeconds(60);

    private sealed record StepTimedOut(long Version, int Step);

    private sealed class Node(NodeReport report)
    {
        public NodeReport Report { get; set; } = report;
        public int Ready { get; set; }
        public int Abandoned { get; set; }

        /// <summary>Parts this learner has asked of the node's worker (its counts from before the last one are stale).</summary>
        public int ShardsAsked { get; set; }
    }

    /// <summary>One data-parallel update under way.</summary>
    private sealed class Round(long version, IReadOnlyList<(string Address, IActorRef Worker)> ranks)
    {
        public long Version { get; } = version;
        public IReadOnlyList<(string Address, IActorRef Worker)> Ranks { get; } = ranks;
        public ShardReady?[] Shards { get; } = new ShardReady?[ranks.Count];
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        public PpoOptions? Options { get; set; }
        public MinibatchNorm[] Norms { get; set; } = [];
        public int[] Computing { get; set; } = []; // ranks with trials: the ones asked for gradients
        public int Step { get; set; } = -1;
        public GradientComputed?[] Gradients { get; set; } = [];
        public Stopwatch StepClock { get; } = new();
        public double GradientSeconds { get; set; }
        public double AllReduceSeconds { get; set; }
        public double PolicyLoss { get; set; }
        public double ValueLoss { get; set; }
        public double Entropy { get; set; }
        public double ApproxKl { get; set; }
    }

    private readonly SortedDictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly int _agents;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private ParametersPublished? _published;
    private Round? _round;

    /// <summary>The run is over (<see cref="RunEnded"/>): nodes leaving now is expected.</summary>
    private bool _ended;

    /// <summary>Counters of the nodes that have left, kept so the run's totals do not fall when a node goes.</summary>
    private (long Steps, long Trials, long Faults, long Batches, long Rows, long Starts, long WireBytes) _departed;

    /// <summary>Trials lost with nodes that left, counted as abandoned in the next update.</summary>
    private int _lostWithNodes;

    /// <summary>Stale trials dropped in a round that found nothing to train on, counted in the next update.</summary>
    private int _droppedCarried;

    /// <param name="agents">Agents in the population (for the trial a newly started agent begins at).</param>
    public ClusterLearner(Func<IPolicyTrainer> trainerFactory, LearnerSettings settings, IActorRef reportTo, int agents)
        : base(trainerFactory, settings, [], reportTo)
    {
        _agents = agents;
    }

    private PpoTrainer Ppo => Trainer as PpoTrainer
        ?? throw new InvalidOperationException($"data-parallel updates need a {nameof(PpoTrainer)}, not a {Trainer.GetType().Name}");

    protected override bool PublishOnlyDurable => true;

    protected override int TrialsInHand => _nodes.Values.Sum(n => n.Ready + n.Abandoned) + _lostWithNodes;

    protected override bool UpdateInProgress => _round is not null;

    protected override void OnTraining()
    {
        Receive<NodeReport>(OnReport);
        Receive<TrialsReady>(OnReady);
        Receive<ShardReady>(OnShardReady);
        Receive<GradientComputed>(OnGradient);
        Receive<StepTimedOut>(t =>
        {
            if (_round is { } r && r.Version == t.Version && r.Step == t.Step)
                Abandon($"no answer from {string.Join(", ", Missing(r))} within {UpdateTimeout.TotalSeconds:0} s");
        });
        Receive<Terminated>(t => OnNodeLost(t.ActorRef));
        Receive<RunEnded>(m =>
        {
            _ended = true;
            foreach (var n in _nodes.Values) n.Report.Host.Tell(m, Self);
        });
    }

    /// <summary>
    /// The singleton manager restarts a failed learner (it recovers from the journal), but a learner that fails keeps
    /// failing while its cause lasts: the owner is told, and ends the run rather than let it wait.
    /// </summary>
    protected override void PreRestart(Exception reason, object message)
    {
        ReportTo.Tell(new LearnerFailed(Self.Path.ToString(), $"{reason.GetType().Name}: {reason.Message}"), Self);
        base.PreRestart(reason, message);
    }

    protected override void Publish(ParametersUpdated parameters)
    {
        var c = CountersNow;
        long first = (c.Trials + c.Faults) / Math.Max(1, _agents) + parameters.Version + 1;
        _published = new ParametersPublished(parameters.Version, parameters.Parameters, (int)Math.Min(first, int.MaxValue));
        foreach (var n in _nodes.Values) n.Report.Host.Tell(_published, Self);
    }

    protected override RunCounters LiveCounters()
    {
        long steps = _departed.Steps, trials = _departed.Trials, faults = _departed.Faults, batches = _departed.Batches, rows = _departed.Rows;
        foreach (var n in _nodes.Values)
        {
            steps += n.Report.Steps;
            trials += n.Report.Trials;
            faults += n.Report.Faults;
            batches += n.Report.Batches;
            rows += n.Report.BatchRows;
        }
        // Seconds since this incarnation started: a learner that moved counts on from its checkpoint (the takeover itself is not counted).
        return new RunCounters(steps, trials, faults, batches == 0 ? 0 : (double)rows / batches, _clock.Elapsed.TotalSeconds);
    }

    private void OnReport(NodeReport report)
    {
        if (_nodes.TryGetValue(report.Node, out var node))
        {
            node.Report = report;
            return;
        }
        _nodes[report.Node] = new Node(report);
        Context.Watch(report.Host);
        Log.Info("node {0} serves agents ({1} here now); {2} node(s)", report.Node, report.Agents, _nodes.Count);
        if (_published is { } p) report.Host.Tell(p, Self);
    }

    private void OnReady(TrialsReady ready)
    {
        foreach (var n in _nodes.Values)
            if (n.Report.Worker.Equals(ready.Worker))
            {
                if (ready.Shards < n.ShardsAsked) return; // sent before the worker took its last part
                n.Ready = ready.Trials;
                n.Abandoned = ready.Abandoned;
                UpdateIfDue();
                return;
            }
    }

    private void OnNodeLost(IActorRef host)
    {
        var lost = _nodes.FirstOrDefault(kv => kv.Value.Report.Host.Equals(host));
        if (lost.Value is not { } node) return;
        _nodes.Remove(lost.Key);
        var r = node.Report;
        _departed = (_departed.Steps + r.Steps, _departed.Trials + r.Trials, _departed.Faults + r.Faults, _departed.Batches + r.Batches,
            _departed.Rows + r.BatchRows, _departed.Starts + r.AgentStarts, _departed.WireBytes + r.WireBytes);
        _lostWithNodes += node.Ready + node.Abandoned + r.Agents;
        if (_ended) Log.Info("node {0} left at the run's end", lost.Key);
        else
            Log.Warning("node {0} is gone with {1} agent(s) and {2} trial(s); its agents start again on the other nodes", lost.Key, r.Agents,
                node.Ready + node.Abandoned);
        if (_round is { } round && round.Ranks.Any(k => k.Address == lost.Key)) Abandon($"node {lost.Key} left during the update");
        else UpdateIfDue();
    }

    protected override void BeginUpdate()
    {
        var ranks = _nodes.Where(kv => kv.Value.Ready + kv.Value.Abandoned > 0).Select(kv => (kv.Key, kv.Value.Report.Worker)).ToList();
        _round = new Round(Version, ranks);
        var quotas = Quotas(ranks.Select(k => _nodes[k.Key].Ready).ToArray(), Settings.TrialsPerUpdate);
        for (int rank = 0; rank < ranks.Count; rank++)
        {
            var node = _nodes[ranks[rank].Key];
            node.Ready -= quotas[rank]; // until the worker says what it holds now
            node.Abandoned = 0;
            node.ShardsAsked++;
            ranks[rank].Worker.Tell(new BeginShard(Version, rank, TaskSeeds.Mix((int)Version, (int)(Version >> 31), rank), quotas[rank]), Self);
        }
        if (ranks.Count == 0) Finish(UpdateResult.Skip("every trial of the update was lost with its node"));
        else Timers.StartSingleTimer("step", new StepTimedOut(Version, -1), UpdateTimeout);
    }

    /// <summary>
    /// Each node's share of an update's <paramref name="total"/> trials, in proportion to what it holds (largest
    /// remainders, ties to the lower rank), never more than it holds.
    /// </summary>
    public static int[] Quotas(IReadOnlyList<int> ready, int total)
    {
        var quotas = new int[ready.Count];
        long all = ready.Sum(r => (long)r);
        if (all <= total)
        {
            for (int k = 0; k < quotas.Length; k++) quotas[k] = ready[k];
            return quotas;
        }
        var remainders = new (double Remainder, int Rank)[ready.Count];
        int given = 0;
        for (int k = 0; k < quotas.Length; k++)
        {
            double exact = (double)ready[k] * total / all;
            quotas[k] = (int)Math.Floor(exact);
            given += quotas[k];
            remainders[k] = (exact - quotas[k], k);
        }
        foreach (var (_, k) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Rank).Take(total - given)) quotas[k]++;
        return quotas;
    }

    private void OnShardReady(ShardReady shard)
    {
        if (_round is not { } r || r.Version != shard.Version || r.Step != -1 || shard.Rank >= r.Shards.Length) return;
        r.Shards[shard.Rank] = shard;
        if (r.Shards.Any(s => s is null)) return;
        var shards = r.Shards!;
        r.Computing = Enumerable.Range(0, shards.Length).Where(k => shards[k]!.Trials > 0).ToArray();
        if (r.Computing.Length == 0 && shards.All(s => s!.Abandoned == 0))
        {
            // Nothing to train on after all (what the counts promised went stale): no update; the next one counts the drops.
            _droppedCarried += shards.Sum(s => s!.DroppedStale);
            _round = null;
            Timers.Cancel("step");
            return;
        }
        if (r.Computing.Length == 0)
        {
            Finish(UpdateResult.Skip("every trial of the update was lost to env faults"));
            return;
        }
        r.Options = Ppo.BeginDataParallelUpdate(Progress);
        int steps = shards[r.Computing[0]]!.Sums.Length;
        r.Norms = new MinibatchNorm[steps];
        for (int s = 0; s < steps; s++)
        {
            var sum = default(AdvantageSums);
            foreach (int k in r.Computing) sum = sum.Plus(shards[k]!.Sums[s]); // rank order: the same sum on every rerun
            r.Norms[s] = sum.Norm();
        }
        NextStep(r);
    }

    private void NextStep(Round r)
    {
        r.Step++;
        if (r.Step == r.Norms.Length)
        {
            int n = r.Norms.Length;
            Finish(new UpdateResult(r.PolicyLoss / n, r.ValueLoss / n, r.Entropy / n, r.ApproxKl / n, false, null));
            return;
        }
        r.Gradients = new GradientComputed?[r.Shards.Length];
        var parameters = Trainer.GetParameters();
        var ask = new ComputeGradient(r.Version, r.Step, parameters, r.Norms[r.Step], r.Options!.EntropyCoef);
        r.StepClock.Restart();
        foreach (int k in r.Computing) r.Ranks[k].Worker.Tell(ask, Self);
        Timers.StartSingleTimer("step", new StepTimedOut(r.Version, r.Step), UpdateTimeout);
    }

    private void OnGradient(GradientComputed g)
    {
        if (_round is not { } r || r.Version != g.Version || r.Step != g.Step || g.Rank >= r.Gradients.Length) return;
        r.Gradients[g.Rank] = g;
        if (r.Computing.Any(k => r.Gradients[k] is null)) return;
        double slowest = r.Computing.Max(k => r.Gradients[k]!.Seconds);
        var apply = Stopwatch.StartNew();
        var sum = new float[g.Gradient.Gradient.Length];
        double pg = 0, vl = 0, ent = 0, kl = 0;
        foreach (int k in r.Computing) // rank order: the same sum on every rerun
        {
            var part = r.Gradients[k]!.Gradient;
            if (part.Gradient.Length != sum.Length)
            {
                Abandon($"node {r.Ranks[k].Address} sent a gradient of {part.Gradient.Length} floats for a model of {sum.Length}");
                return;
            }
            for (int i = 0; i < sum.Length; i++) sum[i] += part.Gradient[i];
            pg += part.PolicyLoss;
            vl += part.ValueLoss;
            ent += part.Entropy;
            kl += part.ApproxKl;
        }
        double loss = pg + r.Options!.ValueCoef * vl - r.Options.EntropyCoef * ent;
        if (!double.IsFinite(loss))
        {
            Abandon($"loss is not finite ({loss}) at minibatch step {r.Step}");
            return;
        }
        if (Ppo.ApplyGradient(sum) is { } reason)
        {
            Abandon($"{reason} at minibatch step {r.Step}");
            return;
        }
        (r.PolicyLoss, r.ValueLoss, r.Entropy, r.ApproxKl) = (r.PolicyLoss + pg, r.ValueLoss + vl, r.Entropy + ent, r.ApproxKl + kl);
        r.GradientSeconds += slowest;
        r.AllReduceSeconds += Math.Max(0, r.StepClock.Elapsed.TotalSeconds - slowest - apply.Elapsed.TotalSeconds) + apply.Elapsed.TotalSeconds;
        NextStep(r);
    }

    private IEnumerable<string> Missing(Round r) => r.Step < 0
        ? Enumerable.Range(0, r.Shards.Length).Where(k => r.Shards[k] is null).Select(k => r.Ranks[k].Address)
        : r.Computing.Where(k => r.Gradients[k] is null).Select(k => r.Ranks[k].Address);

    /// <summary>Gives the update up: parameters as before it, the version advances as a skipped update.</summary>
    private void Abandon(string reason)
    {
        if (_round is not { } r) return;
        Log.Warning("update {0} is abandoned: {1}", r.Version + 1, reason);
        Finish(r.Options is null ? UpdateResult.Skip(reason) : Ppo.AbandonDataParallelUpdate(reason));
    }

    private void Finish(UpdateResult result)
    {
        var r = _round!;
        _round = null;
        Timers.Cancel("step");
        var shards = r.Shards.Where(s => s is not null).Select(s => s!).ToList();
        var groupSums = new double[Settings.GroupStarts is { } g ? g.Count - 1 : 0];
        var groupCounts = new int[groupSums.Length];
        foreach (var s in shards)
            for (int k = 0; k < groupSums.Length && k < s.GroupScoreSums.Length; k++)
            {
                groupSums[k] += s.GroupScoreSums[k];
                groupCounts[k] += s.GroupTrials[k];
            }
        var gathered = new UpdateReport(shards.Sum(s => s.Trials), shards.Sum(s => s.Abandoned) + _lostWithNodes,
            shards.Sum(s => s.DroppedStale) + _droppedCarried, shards.Sum(s => s.ScoreSum), shards.Sum(s => s.LagSum), UpdateReport.GroupMeans(groupSums, groupCounts));
        _lostWithNodes = 0;
        _droppedCarried = 0;
        var agents = _nodes.Values.Select(n => n.Report.Agents).DefaultIfEmpty(0).ToArray();
        long starts = _departed.Starts + _nodes.Values.Sum(n => n.Report.AgentStarts);
        long wire = _departed.WireBytes + _nodes.Values.Sum(n => n.Report.WireBytes);
        var shape = new ClusterShape(_nodes.Count, agents.Min(), agents.Max(), Math.Max(0, starts - _agents), r.GradientSeconds, r.AllReduceSeconds, wire)
        {
            PerNode = _nodes.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new NodeShape(kv.Key, kv.Value.Report.Agents, kv.Value.Report.Batches == 0 ? 0 : (double)kv.Value.Report.BatchRows / kv.Value.Report.Batches))
                .ToArray(),
        };
        CompleteUpdate(result, gathered, r.Clock.Elapsed.TotalSeconds, shape);
    }
}
