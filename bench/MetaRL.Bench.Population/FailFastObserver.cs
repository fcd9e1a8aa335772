using MetaRL.Actors.Population;

namespace MetaRL.Bench.Population;

/// <summary>The bench reads counters with GetPopulationStatistics; it only needs to hear of a failure, which ends the bench.</summary>
internal sealed class FailFastObserver : IPopulationObserver
{
    public void OnProgress(PopulationProgress progress) { }

    public void OnFailed(PopulationFailure failure)
    {
        Console.Error.WriteLine($"population failed: {failure}");
        Environment.Exit(1);
    }
}
