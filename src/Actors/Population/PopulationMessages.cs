using MetaRL.Actors.Learning;

namespace MetaRL.Actors.Population;

/// <summary>A snapshot of the population's counters when an update completed.</summary>
/// <param name="Update">The learner's report.</param>
/// <param name="EnvSteps">Agent-steps taken since the start.</param>
/// <param name="Trials">Trials completed since the start.</param>
/// <param name="Faults">Env faults (restarts of task actors) since the start.</param>
/// <param name="MeanBatch">Mean rows per forward pass, over all batchers.</param>
/// <param name="Elapsed">Wall time since the population started.</param>
public sealed record PopulationProgress(UpdateCompleted Update, long EnvSteps, long Trials, long Faults, double MeanBatch, TimeSpan Elapsed);

/// <summary>Receives the population's progress, on the population actor's thread (keep it quick).</summary>
public interface IPopulationObserver
{
    void OnProgress(PopulationProgress progress);
}

/// <summary>Anyone → population: reply with a <see cref="PopulationSnapshot"/> of its counters now.</summary>
public sealed record GetPopulationStatistics
{
    public static readonly GetPopulationStatistics Instance = new();
}

/// <summary>The population's counters at one moment, for monitors and benches that cannot wait for an update.</summary>
public sealed record PopulationSnapshot(long EnvSteps, long Trials, long Faults, double MeanBatch, TimeSpan Elapsed);
