using System.Collections.Concurrent;
using MetaRL.Actors.Population;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>Keeps the progress reports of the first <paramref name="updates"/> updates (the population runs on until its system stops) and signals when they have arrived.</summary>
internal sealed class RecordingObserver(int updates) : IPopulationObserver
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<PopulationProgress> Reports { get; } = new();

    public void OnProgress(PopulationProgress progress)
    {
        if (_done.Task.IsCompleted) return;
        Reports.Enqueue(progress);
        if (progress.Update.Version >= updates) _done.TrySetResult();
    }

    public void WaitForUpdates(TimeSpan timeout)
    {
        if (!_done.Task.Wait(timeout))
            throw new TimeoutException($"only {Reports.Count} of {updates} updates arrived within {timeout.TotalSeconds:0} s");
    }
}
