namespace MetaRL.Load;

/// <summary>
/// A named stretch of a load run (e.g. "before", "during throw", "after"): every step's calls that end inside it are
/// also counted in its own figures, so that a fault's effect on p99 and throughput is read from whole histograms,
/// not averaged from samples.
/// </summary>
public sealed record LoadPhase(string Name, TimeSpan Start, TimeSpan End)
{
    public TimeSpan Length => End - Start;
}

/// <summary>A phase's figures: each step's calls that ended in it, and its rate over the phase's length.</summary>
public sealed record PhaseFigures(string Phase, TimeSpan Length, IReadOnlyList<StepFigures> Steps)
{
    /// <summary>When the phase began, from the run's start.</summary>
    public TimeSpan Start { get; init; }
}
