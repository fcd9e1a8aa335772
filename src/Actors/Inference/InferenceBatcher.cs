using System.Diagnostics;
using MetaRL.Policies;
using MetaRL.Runtime;

namespace MetaRL.Actors.Inference;

/// <summary>
/// Gathers the action requests of many agents through the batching mailbox and answers them with one batched
/// forward pass (DESIGN.md §2). Requests are copied straight into pinned row buffers that the policy reads
/// without another copy; the new memory is written back into each agent's own memory array. Actions are
/// drawn here from the policy's probabilities with the batcher's seeded stream, in row order, so a lockstep
/// run (rows sorted by agent index) is reproducible.
/// </summary>
public sealed class InferenceBatcher : BatchingActor
{
    private sealed record FlushTimer
    {
        public static readonly FlushTimer Instance = new();
    }

    private readonly IRecurrentPolicy _policy;
    private readonly BatcherSettings _settings;
    private readonly InferenceStatistics _stats;
    private readonly Random _rng;
    private readonly List<(ActRequest Request, IActorRef Sender)> _pending;
    private readonly List<(ActRequest Request, IActorRef Sender)> _ready = [];
    private readonly List<(ActRequest Request, IActorRef Sender)> _held = [];
    private readonly float[] _inputs;
    private readonly float[] _memory;
    private readonly float[] _probs;
    private readonly float[] _values;
    private long _version;

    public InferenceBatcher(IRecurrentPolicy policy, BatcherSettings settings, InferenceStatistics stats, long initialVersion = 0)
    {
        _policy = policy;
        _settings = settings;
        _stats = stats;
        _rng = new Random(settings.Seed);
        _version = initialVersion;
        int capacity = settings.Agents;
        _pending = new List<(ActRequest, IActorRef)>(capacity);
        // Pinned so the native side can read and write them in place.
        _inputs = GC.AllocateArray<float>(capacity * policy.InputSize, pinned: true);
        _memory = GC.AllocateArray<float>(capacity * policy.MemorySize, pinned: true);
        _probs = GC.AllocateArray<float>(capacity * policy.ActionCount, pinned: true);
        _values = GC.AllocateArray<float>(capacity, pinned: true);
    }

    protected override void PostStop() => _policy.Dispose();

    protected override void OnReceiveBatch(ReadOnlySpan<Envelope> batch)
    {
        foreach (var e in batch)
        {
            switch (e.Message)
            {
                case ActRequest r:
                    if (_pending.Count == _settings.Agents)
                        throw new InvalidOperationException($"more than {_settings.Agents} requests pending: an agent sent a second request before its reply");
                    _pending.Add((r, e.Sender ?? ActorRefs.Nobody));
                    break;
                case ParametersUpdated p:
                    _policy.LoadParameters(p.Parameters);
                    _version = p.Version;
                    break;
                case FlushTimer:
                    if (_pending.Count > 0) Run(_pending.Count);
                    break;
                default:
                    Unhandled(e.Message);
                    break;
            }
        }
        if (_settings.Mode == BatchingMode.Lockstep) TryRunLockstep();
        else RunAsyncBatches();
    }

    /// <summary>
    /// Runs once every agent has a request pending, in agent order, with the rows whose trial's policy version
    /// has arrived; a row whose trial needs the next version (an agent whose env faulted and began its next
    /// trial early) waits for it. Every agent holds exactly one request, so the batch a round runs depends only
    /// on the population's state, never on message timing: a lockstep run is reproducible.
    /// </summary>
    private void TryRunLockstep()
    {
        if (_pending.Count < _settings.Agents) return;
        _pending.Sort(static (a, b) => a.Request.AgentIndex.CompareTo(b.Request.AgentIndex));
        for (int i = 0; i < _pending.Count; i++)
            if (_version >= _pending[i].Request.TrialIndex / _settings.RoundsPerUpdate)
                _ready.Add(_pending[i]);
            else
                _held.Add(_pending[i]);
        int eligible = _ready.Count;
        _pending.Clear();
        _pending.AddRange(_ready);
        _pending.AddRange(_held);
        _ready.Clear();
        _held.Clear();
        if (eligible > 0) Run(eligible);
    }

    private void RunAsyncBatches()
    {
        while (_pending.Count >= _settings.MaxBatch) Run(_settings.MaxBatch);
        if (_pending.Count > 0 && !Timers.IsTimerActive(FlushTimer.Instance))
            Timers.StartSingleTimer(FlushTimer.Instance, FlushTimer.Instance, _settings.MaxWait);
        else if (_pending.Count == 0) Timers.Cancel(FlushTimer.Instance);
    }

    /// <summary>One forward pass over the first <paramref name="rows"/> pending requests, then one reply each.</summary>
    private void Run(int rows)
    {
        int inSize = _policy.InputSize, memSize = _policy.MemorySize, actions = _policy.ActionCount;
        for (int i = 0; i < rows; i++)
        {
            var r = _pending[i].Request;
            r.Input.AsSpan().CopyTo(_inputs.AsSpan(i * inSize, inSize));
            r.Memory.AsSpan().CopyTo(_memory.AsSpan(i * memSize, memSize));
        }
        var clock = Stopwatch.StartNew();
        _policy.Step(rows, _inputs, _memory, _probs, _values);
        _stats.Add(rows, clock.Elapsed);
        for (int i = 0; i < rows; i++)
        {
            var (r, sender) = _pending[i];
            var p = _probs.AsSpan(i * actions, actions);
            int a = Sample(p);
            _memory.AsSpan(i * memSize, memSize).CopyTo(r.Memory);
            sender.Tell(new ActReply(a, MathF.Log(Math.Max(p[a], 1e-30f)), _values[i], _version), Self);
        }
        _pending.RemoveRange(0, rows);
    }

    private int Sample(ReadOnlySpan<float> probs)
    {
        double u = _rng.NextDouble(), acc = 0;
        for (int a = 0; a < probs.Length; a++)
        {
            acc += probs[a];
            if (u < acc) return a;
        }
        // Rounding left u above the last partial sum: take the last action with any mass.
        for (int a = probs.Length - 1; a > 0; a--) if (probs[a] > 0) return a;
        return 0;
    }
}
