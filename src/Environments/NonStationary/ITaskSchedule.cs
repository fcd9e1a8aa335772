namespace MetaRL.Environments.NonStationary;

/// <summary>
/// When and how the task changes inside a trial. Time <c>t</c> counts the steps taken since the trial
/// began (since <see cref="NonStationaryEnv{TObs,TAction,TTask}.SetTask"/>), across episode boundaries.
/// </summary>
public interface ITaskSchedule<TTask>
{
    /// <summary>A new trial begins with <paramref name="initial"/>; forget any position in the schedule.</summary>
    void Begin(TTask initial);

    /// <summary>
    /// Asked before step <paramref name="t"/> is taken: true, with the task in force from that step on,
    /// when the task changes now. <paramref name="rng"/> is the wrapping env's random stream.
    /// </summary>
    bool TryChange(long t, TTask current, Random rng, out TTask next);
}
