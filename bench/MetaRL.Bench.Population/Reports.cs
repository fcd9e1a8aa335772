using System.Collections.Concurrent;
using MetaRL.Actors.Population;

namespace MetaRL.Bench.Population;

/// <summary>Collects progress reports so the bench thread can wait for them.</summary>
internal sealed class Reports : IPopulationObserver
{
    private readonly BlockingCollection<PopulationProgress> _queue = [];

    public void OnProgress(PopulationProgress progress) => _queue.Add(progress);

    public List<PopulationProgress> Take(int count, TimeSpan timeout)
    {
        var list = new List<PopulationProgress>();
        var deadline = DateTime.UtcNow + timeout;
        while (list.Count < count)
        {
            if (!_queue.TryTake(out var p, deadline - DateTime.UtcNow))
                throw new TimeoutException($"{list.Count} of {count} population reports arrived within {timeout}");
            list.Add(p);
        }
        return list;
    }
}
