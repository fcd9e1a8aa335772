namespace MetaRL.Policies.Algorithms;

/// <summary>
/// Runs the parts of one data-parallel step at once: part 0 on the calling thread, each other part on a thread of
/// its own that lives as long as this object (so libtorch's per-thread settings are made once, and no part waits
/// for a pool thread). <see cref="Run"/> returns when every part is done, and rethrows what a part threw.
/// </summary>
internal sealed class PartThreads : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _go;
    private readonly CountdownEvent _done;
    private readonly Exception?[] _failures;
    private Action<int>? _work;
    private volatile bool _stopping;

    /// <param name="parts">Parts a step is cut into (1 runs everything on the caller).</param>
    /// <param name="torchThreads">libtorch intra-op threads of each part's own thread.</param>
    public PartThreads(int parts, int torchThreads)
    {
        if (parts < 1) throw new ArgumentOutOfRangeException(nameof(parts), parts, "at least 1");
        Count = parts;
        _failures = new Exception?[parts];
        _done = new CountdownEvent(1);
        _go = new SemaphoreSlim[parts - 1];
        _threads = new Thread[parts - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            int part = i + 1;
            _go[i] = new SemaphoreSlim(0);
            _threads[i] = new Thread(() => Loop(part, torchThreads)) { IsBackground = true, Name = $"learner part {part}" };
            _threads[i].Start();
        }
    }

    public int Count { get; }

    /// <summary>Runs <paramref name="part"/>(0 … Count − 1), each on its own thread, and waits for all of them.</summary>
    public void Run(Action<int> part)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        Array.Clear(_failures);
        _work = part;
        if (_go.Length > 0) _done.Reset(_go.Length);
        foreach (var go in _go) go.Release();
        try
        {
            part(0);
        }
        catch (Exception e)
        {
            _failures[0] = e;
        }
        if (_go.Length > 0) _done.Wait();
        _work = null;
        var failed = _failures.Where(f => f is not null).ToArray();
        if (failed.Length == 1) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed[0]!);
        if (failed.Length > 1) throw new AggregateException(failed!);
    }

    private void Loop(int part, int torchThreads)
    {
        ComputeThreads.UseOnThisThread(torchThreads);
        var go = _go[part - 1];
        while (true)
        {
            go.Wait();
            if (_stopping) return;
            try
            {
                _work!(part);
            }
            catch (Exception e)
            {
                _failures[part] = e;
            }
            _done.Signal();
        }
    }

    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        foreach (var go in _go) go.Release();
        foreach (var t in _threads) t.Join();
        foreach (var go in _go) go.Dispose();
        _done.Dispose();
    }
}
