namespace MetaRL.Actors.Agents;

/// <summary>
/// Counters shared by all agents of a population, updated with interlocked adds so that the population can
/// read them at any time without a message round trip.
/// </summary>
public sealed class AgentStatistics
{
    private long _steps;
    private long _trials;
    private long _faults;

    public long Steps => Interlocked.Read(ref _steps);
    public long Trials => Interlocked.Read(ref _trials);
    public long Faults => Interlocked.Read(ref _faults);

    internal void AddStep() => Interlocked.Increment(ref _steps);
    internal void AddTrial() => Interlocked.Increment(ref _trials);
    internal void AddFault() => Interlocked.Increment(ref _faults);
}
