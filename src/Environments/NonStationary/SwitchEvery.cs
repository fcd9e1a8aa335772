using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.NonStationary;

/// <summary>
/// Draws a fresh task from <see cref="Distribution"/> every <see cref="Period"/> steps: the task in force
/// at step t is the ⌊t / K⌋-th. A fresh draw may equal the old task (a family of two tasks repeats half
/// the time), as in the usual piecewise-stationary bandit setups.
/// </summary>
public sealed class SwitchEvery<TTask> : ITaskSchedule<TTask>
{
    public SwitchEvery(int period, ITaskDistribution<TTask> distribution)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "the switching period must be at least 1 step");
        Period = period;
        Distribution = distribution;
    }

    public int Period { get; }
    public ITaskDistribution<TTask> Distribution { get; }

    public void Begin(TTask initial) { }

    public TaskChange TryChange(long t, TTask current, Random rng, out TTask next)
    {
        bool change = t > 0 && t % Period == 0;
        next = change ? Distribution.Sample(rng) : current;
        return change ? TaskChange.Switch : TaskChange.None;
    }
}
