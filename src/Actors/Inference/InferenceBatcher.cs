using System.Diagnostics;
using Akka.Actor;
using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;

namespace MetaRL.Actors.Inference;

/// <summary>
/// Gathers the action requests of many agents and answers them with one batched forward pass (docs/architecture.md §2).
/// Akka delivers one message at a time: each request is kept (a reference to the agent's lent arrays) until the
/// round is full (lockstep), <c>maxBatch</c> requests are in, or the <c>maxWait</c> timer fires (async); then the
/// rows are copied into pinned buffers that libtorch reads in place, and the new memory is written back into
/// each agent's own array. Actions are drawn here (the policy's <see cref="Policies.Actions.PolicyHead"/>), each from uniforms keyed by (seed, agent, trial, step), so a
/// draw does not depend on how requests were batched and a resumed run redraws exactly what the run it continues
/// would have drawn (docs/architecture.md §4). Runs on <see cref="Hosting.MetaRlAkka.ComputeDispatcher"/>.
/// </summary>
public sealed class InferenceBatcher : ReceiveActor, IWithTimers
{
    private sealed record FlushTimer
    {
        public static readonly FlushTimer Instance = new();
    }

    private readonly IInContextPolicy _policy;
    private readonly BatcherSettings _settings;
    private readonly InferenceStatistics _stats;
    private readonly List<(ActRequest Request, IActorRef Sender)> _pending;
    private readonly HashSet<int> _pendingAgents;
    private readonly List<(ActRequest Request, IActorRef Sender)> _ready = [];
    private readonly List<(ActRequest Request, IActorRef Sender)> _held = [];
    private readonly float[] _inputs;
    private readonly float[] _memory;
    private readonly float[] _outputs;
    private readonly float[] _values;

    /// <summary>The version of the parameters loaded; −1 until the learner's first <see cref="ParametersUpdated"/>: nothing runs before it.</summary>
    private long _version = -1;

    /// <summary>Async: the batch size that runs at once (<c>maxBatch</c>, or fewer when the batcher serves fewer agents: <see cref="AgentsServed"/>).</summary>
    private int _fullBatch;

    /// <param name="policyFactory">Called once per incarnation, on the batcher's own thread; the batcher owns and disposes what it returns.</param>
    public InferenceBatcher(Func<IInContextPolicy> policyFactory, BatcherSettings settings, InferenceStatistics stats)
    {
        ComputeThreads.UseOnThisThread(settings.TorchThreads);
        _policy = policyFactory();
        _settings = settings;
        _stats = stats;
        _fullBatch = settings.MaxBatch;
        int capacity = settings.Agents;
        _pending = new List<(ActRequest, IActorRef)>(capacity);
        _pendingAgents = new HashSet<int>(capacity);
        // Pinned so the native side can read and write them in place.
        _inputs = GC.AllocateArray<float>(capacity * _policy.InputSize, pinned: true);
        _memory = GC.AllocateArray<float>(capacity * _policy.MemorySize, pinned: true);
        _outputs = GC.AllocateArray<float>(capacity * _policy.OutputSize, pinned: true);
        _values = GC.AllocateArray<float>(capacity, pinned: true);

        Receive<ActRequest>(OnRequest);
        Receive<ParametersUpdated>(OnParameters);
        Receive<AgentsServed>(m =>
        {
            _fullBatch = Math.Clamp(m.Agents, 1, _settings.MaxBatch);
            RunWhatIsDue();
        });
        Receive<GetBatcherStatus>(_ => Sender.Tell(new BatcherStatus(_settings.Index, _pending.Count, _version)));
        Receive<FlushTimer>(_ =>
        {
            if (_version >= 0 && _pending.Count > 0) Run(_pending.Count);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PostStop() => _policy.Dispose();

    /// <summary>
    /// A restarted batcher has lost its requests and its parameters: its parent has the learner send the
    /// parameters in force and the agents it serves ask again, so no agent waits forever for a reply.
    /// </summary>
    protected override void PostRestart(Exception reason)
    {
        base.PostRestart(reason);
        Context.Parent.Tell(new BatcherRestarted(_settings.Index, $"{reason.GetType().Name}: {reason.Message}"));
    }

    private void OnRequest(ActRequest r)
    {
        // A request sent again after a restart may meet the original still queued: keep one.
        if (!_pendingAgents.Add(r.AgentIndex)) return;
        if (_pending.Count == _settings.Agents)
            throw new InvalidOperationException($"more than {_settings.Agents} agents asked this batcher, which was built to serve {_settings.Agents}");
        _pending.Add((r, Sender));
        RunWhatIsDue();
    }

    private void OnParameters(ParametersUpdated p)
    {
        if (p.Version < _version) return; // an answer to a restart's request, overtaken by a broadcast
        _policy.LoadParameters(p.Parameters);
        _version = p.Version;
        RunWhatIsDue();
    }

    private void RunWhatIsDue()
    {
        if (_version < 0) return;
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
        while (_pending.Count >= _fullBatch) Run(_fullBatch);
        if (_pending.Count == 0) Timers.Cancel(FlushTimer.Instance);
        else if (!Timers.IsTimerActive(FlushTimer.Instance)) Timers.StartSingleTimer(FlushTimer.Instance, FlushTimer.Instance, _settings.MaxWait);
    }

    /// <summary>One forward pass over the first <paramref name="rows"/> pending requests, then one reply each.</summary>
    private void Run(int rows)
    {
        int inSize = _policy.InputSize, memSize = _policy.MemorySize, outputs = _policy.OutputSize;
        var head = _policy.PolicyHead;
        Span<double> uniforms = stackalloc double[head.UniformsPerDraw];
        for (int i = 0; i < rows; i++)
        {
            var r = _pending[i].Request;
            r.Input.AsSpan().CopyTo(_inputs.AsSpan(i * inSize, inSize));
            r.Memory.AsSpan().CopyTo(_memory.AsSpan(i * memSize, memSize));
        }
        long start = Stopwatch.GetTimestamp();
        _policy.Step(rows, _inputs, _memory, _outputs, _values);
        _stats.Add(rows, Stopwatch.GetElapsedTime(start));
        for (int i = 0; i < rows; i++)
        {
            var (r, sender) = _pending[i];
            for (int k = 0; k < uniforms.Length; k++)
                uniforms[k] = TaskSeeds.Uniform(k == 0 ? _settings.Seed : TaskSeeds.Mix(_settings.Seed, k), r.AgentIndex, r.TrialIndex, r.Step);
            var vector = head.VectorSize > 0 ? new float[head.VectorSize] : null;
            float logp = head.Draw(_outputs.AsSpan(i * outputs, outputs), uniforms, vector, out int a);
            _memory.AsSpan(i * memSize, memSize).CopyTo(r.Memory);
            _pendingAgents.Remove(r.AgentIndex);
            sender.Tell(new ActReply(a, logp, _values[i], _version, vector), Self);
        }
        _pending.RemoveRange(0, rows);
    }
}
