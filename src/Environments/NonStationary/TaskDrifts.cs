using MetaRL.Environments.Bandits;
using MetaRL.Environments.Navigation;

namespace MetaRL.Environments.NonStationary;

/// <summary>Bandit arm means drift independently by Normal(0, σ) and are clipped to [0, 1] (they are probabilities).</summary>
public sealed class BanditMeanDrift : ITaskDrift<BanditTask>
{
    public static readonly BanditMeanDrift Instance = new();

    public BanditTask Drift(BanditTask task, double sigma, Random rng)
    {
        var means = new double[task.Arms];
        for (int i = 0; i < means.Length; i++) means[i] = Math.Clamp(task.Means[i] + Sampling.Normal(rng, 0, sigma), 0.0, 1.0);
        return new BanditTask(means);
    }
}

/// <summary>A point-robot goal drifts by Normal(0, σ) in each coordinate, unbounded.</summary>
public sealed class PointGoalDrift : ITaskDrift<PointGoalTask>
{
    public static readonly PointGoalDrift Instance = new();

    public PointGoalTask Drift(PointGoalTask task, double sigma, Random rng) =>
        new(task.GoalX + Sampling.Normal(rng, 0, sigma), task.GoalY + Sampling.Normal(rng, 0, sigma));
}
