using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.NonStationary;

/// <summary>
/// Before every step after the first, the task is replaced by a fresh draw from <see cref="Distribution"/>
/// with probability <see cref="Hazard"/> (a constant hazard rate: the time between switches is geometric
/// with mean 1/h, as in change-point models).
/// </summary>
public sealed class SwitchWithHazard<TTask> : ITaskSchedule<TTask>
{
    public SwitchWithHazard(double hazard, ITaskDistribution<TTask> distribution)
    {
        if (!(hazard >= 0 && hazard <= 1)) throw new ArgumentOutOfRangeException(nameof(hazard), hazard, "the hazard rate is a probability in [0, 1]");
        Hazard = hazard;
        Distribution = distribution;
    }

    public double Hazard { get; }
    public ITaskDistribution<TTask> Distribution { get; }

    public void Begin(TTask initial) { }

    public TaskChange TryChange(long t, TTask current, Random rng, out TTask next)
    {
        bool change = t > 0 && Sampling.Bernoulli(rng, Hazard);
        next = change ? Distribution.Sample(rng) : current;
        return change ? TaskChange.Switch : TaskChange.None;
    }
}
