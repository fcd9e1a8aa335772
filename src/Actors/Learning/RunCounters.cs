namespace MetaRL.Actors.Learning;

/// <summary>
/// A run's counters since it began (across resumes): agent-steps, completed trials, env faults, mean rows per
/// forward pass, wall-clock seconds. Saved in every checkpoint so that a resumed run counts on from them.
/// </summary>
public sealed record RunCounters(long EnvSteps, long Trials, long Faults, double MeanBatch, double Seconds)
{
    public static readonly RunCounters Zero = new(0, 0, 0, 0, 0);

    /// <summary>These counters followed by <paramref name="live"/>, a later stretch of the same run (the mean batch is the later one's).</summary>
    public RunCounters Then(RunCounters live) =>
        new(EnvSteps + live.EnvSteps, Trials + live.Trials, Faults + live.Faults, live.MeanBatch, Seconds + live.Seconds);
}
