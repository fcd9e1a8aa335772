using Akka.Event;
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

/// <summary>Why a population stopped before its owner stopped it: which actor failed, and with what.</summary>
/// <param name="ActorPath">The path of the actor that failed (e.g. <c>akka://metarl/user/population/learner</c>).</param>
/// <param name="Error">The exception it failed with.</param>
public sealed record PopulationFailure(string ActorPath, Exception Error)
{
    /// <summary>One line for a user: the exception's type and message, and where it happened.</summary>
    public override string ToString() => $"{Error.GetType().Name}: {Error.Message} (in {ActorPath})";
}

/// <summary>Receives the population's progress and its failure, on the population actor's thread (keep it quick).</summary>
public interface IPopulationObserver
{
    /// <summary>Once, when the learner is ready: the version the run starts from (a resumed run's checkpoint) and its counters then.</summary>
    void OnStarted(LearnerStarted started) { }

    /// <summary>After every update. An exception thrown here fails the population (<see cref="OnFailed"/> follows).</summary>
    void OnProgress(PopulationProgress progress);

    /// <summary>
    /// The population cannot go on and has stopped: its learner failed, a batcher failed more often than it may
    /// be restarted, an agent failed, or <see cref="OnProgress"/> threw. Called at most once.
    /// </summary>
    void OnFailed(PopulationFailure failure);
}

/// <summary>How the actors that serve an observer (a population, a clustered run's owner) tell it of a failure.</summary>
public static class PopulationObserverFailures
{
    /// <summary>
    /// Logs <paramref name="failure"/> as the reason <paramref name="stopping"/> ("the population", "the run") stops and tells
    /// the observer; an observer that throws here is only logged.
    /// </summary>
    public static void TellFailed(this IPopulationObserver observer, PopulationFailure failure, ILoggingAdapter log, string stopping)
    {
        log.Error(failure.Error, "{0} stops: {1}", stopping, failure);
        try
        {
            observer.OnFailed(failure);
        }
        catch (Exception e)
        {
            log.Error(e, "the progress observer failed while it was told of the failure");
        }
    }
}

/// <summary>Anyone → population: reply with a <see cref="PopulationSnapshot"/> of its counters now.</summary>
public sealed record GetPopulationStatistics : IWireMessage
{
    public static readonly GetPopulationStatistics Instance = new();
}

/// <summary>The population's counters at one moment, for monitors and benches that cannot wait for an update.</summary>
public sealed record PopulationSnapshot(long EnvSteps, long Trials, long Faults, double MeanBatch, TimeSpan Elapsed) : IWireMessage;
