namespace MetaRL.Environments.NonStationary;

/// <summary>How a task type drifts: its parameters take a Gaussian random-walk step of scale sigma.</summary>
public interface ITaskDrift<TTask>
{
    /// <summary>The task after one drift step; must not change <paramref name="task"/> (records are shared).</summary>
    TTask Drift(TTask task, double sigma, Random rng);
}

/// <summary>
/// Drifts the task's parameters every <see cref="Interval"/> steps by <see cref="ITaskDrift{TTask}"/>
/// with scale <see cref="Sigma"/> (a restless task: it never stops changing).
/// </summary>
public sealed class GaussianDrift<TTask> : ITaskSchedule<TTask>
{
    public GaussianDrift(double sigma, ITaskDrift<TTask> drift, int interval = 1)
    {
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "the drift scale must be finite and >= 0");
        if (interval < 1) throw new ArgumentOutOfRangeException(nameof(interval), interval, "the drift interval must be at least 1 step");
        Sigma = sigma;
        Drift = drift;
        Interval = interval;
    }

    public double Sigma { get; }
    public ITaskDrift<TTask> Drift { get; }
    public int Interval { get; }

    public void Begin(TTask initial) { }

    public TaskChange TryChange(long t, TTask current, Random rng, out TTask next)
    {
        bool change = t > 0 && t % Interval == 0;
        next = change ? Drift.Drift(current, Sigma, rng) : current;
        return change ? TaskChange.Drift : TaskChange.None;
    }
}
