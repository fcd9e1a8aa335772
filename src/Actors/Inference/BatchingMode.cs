namespace MetaRL.Actors.Inference;

/// <summary>How an inference batcher decides when to run a forward pass (docs/architecture.md §2).</summary>
public enum BatchingMode
{
    /// <summary>Wait for every agent the batcher serves, and for the policy version their trials are due: reproducible for a seed and population size.</summary>
    Lockstep,

    /// <summary>Run when <c>maxBatch</c> requests are queued or <c>maxWait</c> has passed since the first: for throughput.</summary>
    Async,
}

/// <summary>A batcher's settings.</summary>
/// <param name="Mode">Lockstep or async.</param>
/// <param name="Agents">How many agents this batcher serves (the batch size in lockstep; buffer capacity in both modes).</param>
/// <param name="MaxBatch">Async: the largest batch.</param>
/// <param name="MaxWait">Async: the longest a request waits for its batch to fill.</param>
/// <param name="RoundsPerUpdate">Lockstep: trials each agent completes per learner update, so that trial k needs policy version k / RoundsPerUpdate.</param>
/// <param name="Seed">Seeds the action draws: the draw of (agent, trial, step) is <c>TaskSeeds.Uniform(Seed, agent, trial, step)</c>, whichever batcher serves it.</param>
/// <param name="Index">The batcher's index in its population (it names itself with it after a restart).</param>
/// <param name="TorchThreads">libtorch threads of the batcher's own thread (config key <c>torchThreads</c>).</param>
public sealed record BatcherSettings(BatchingMode Mode, int Agents, int MaxBatch, TimeSpan MaxWait, int RoundsPerUpdate, int Seed, int Index = 0,
    int TorchThreads = 1);

/// <summary>Counters of one batcher, readable from any thread.</summary>
public sealed class InferenceStatistics
{
    private long _batches;
    private long _rows;
    private long _forwardTicks;

    public long Batches => Interlocked.Read(ref _batches);
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Time spent inside the policy's forward pass.</summary>
    public TimeSpan ForwardTime => TimeSpan.FromTicks(Interlocked.Read(ref _forwardTicks));

    public double MeanBatch => Batches == 0 ? 0 : (double)Rows / Batches;

    internal void Add(int rows, TimeSpan forward)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _rows, rows);
        Interlocked.Add(ref _forwardTicks, forward.Ticks);
    }
}
