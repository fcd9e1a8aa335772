using System.Collections.Concurrent;

namespace MetaRL.Runtime;

/// <summary>Ids of the dispatchers every actor system has.</summary>
public static class DispatcherIds
{
    /// <summary>The shared pool: actors run on the .NET thread pool's workers, <see cref="ActorSystemSettings.Throughput"/> messages a turn.</summary>
    public const string Default = "default";
}

/// <summary>
/// A dispatcher registered under an id in <see cref="ActorSystemSettings.Dispatchers"/>.
/// With <see cref="Threads"/> = 0 its actors share the .NET thread pool; with N &gt; 0 they share N threads of their own
/// (use that for actors that block, e.g. in native calls, so that they cannot starve the shared pool).
/// </summary>
public sealed record DispatcherOptions
{
    /// <summary>Messages an actor processes in one turn before it yields its worker to other actors.</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>0: the shared .NET thread pool; N &gt; 0: N dedicated threads.</summary>
    public int Threads { get; init; }
}

/// <summary>Runs actor turns: an actor is handed to a dispatcher when it has work and is not already scheduled.</summary>
internal abstract class MessageDispatcher : IDisposable
{
    protected MessageDispatcher(ActorSystem system, string id, int throughput)
    {
        System = system;
        if (throughput < 1) throw new ArgumentOutOfRangeException(nameof(throughput), throughput, $"dispatcher '{id}' throughput must be at least 1");
        Id = id;
        Throughput = throughput;
    }

    public ActorSystem System { get; }

    public string Id { get; }

    /// <summary>Messages per actor turn.</summary>
    public int Throughput { get; }

    /// <summary>Runs <paramref name="cell"/>'s turn soon, on some worker. Called at most once until the turn ends.</summary>
    public abstract void Schedule(ActorCell cell);

    /// <summary>
    /// Whether other work waits for a worker. An actor that has used up its throughput yields only then: when
    /// nothing else waits, yielding would only pay for a re-schedule (and, on the thread pool, a worker wake-up)
    /// to run the same actor again.
    /// </summary>
    public abstract bool OthersWaiting { get; }

    public virtual void Dispose() { }
}

/// <summary>The default: turns are work items of the .NET thread pool (no allocation per schedule).</summary>
internal sealed class ThreadPoolDispatcher(ActorSystem system, string id, int throughput) : MessageDispatcher(system, id, throughput)
{
    // preferLocal: an actor woken by another actor runs next on the same worker (its cache is warm, the message
    // was just written there); idle workers steal from the local queues, so nothing starves.
    public override void Schedule(ActorCell cell) => ThreadPool.UnsafeQueueUserWorkItem(cell, preferLocal: true);

    public override bool OthersWaiting => ThreadPool.PendingWorkItemCount > 0;
}

/// <summary>N dedicated threads sharing one queue of actors with work, for actors that block.</summary>
internal sealed class DedicatedThreadsDispatcher : MessageDispatcher
{
    private readonly ConcurrentQueue<ActorCell> _ready = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Thread[] _threads;
    private volatile bool _stopping;

    public DedicatedThreadsDispatcher(ActorSystem system, string id, int throughput, int threads) : base(system, id, throughput)
    {
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"metarl-{id}-{i}" };
            _threads[i].Start();
        }
    }

    public override void Schedule(ActorCell cell)
    {
        _ready.Enqueue(cell);
        _signal.Release();
    }

    public override bool OthersWaiting => !_ready.IsEmpty;

    private void Work()
    {
        while (true)
        {
            _signal.Wait();
            if (_stopping) return;
            if (_ready.TryDequeue(out var cell)) ((IThreadPoolWorkItem)cell).Execute();
        }
    }

    public override void Dispose()
    {
        _stopping = true;
        _signal.Release(_threads.Length);
    }
}
