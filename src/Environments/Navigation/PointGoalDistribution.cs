using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Navigation;

/// <summary>Which shift the <c>ood</c> split of <see cref="PointGoalDistribution"/> applies.</summary>
public enum PointGoalOod
{
    /// <summary>Goals on the other half of the unit circle, angles π…2π.</summary>
    OtherHalf,

    /// <summary>Goals on the training half circle but at radius <see cref="PointGoalDistribution.FurtherOutRadius"/> (still reachable in 20 steps).</summary>
    FurtherOut,
}

/// <summary>
/// Goals of PEARL's sparse point robot: on the unit half circle, angle ~ U(0, π). The <c>test</c> split is
/// the same law on its own seed stream (the family is continuous). The <c>ood</c> split puts goals where
/// training never did: the other half circle, or further out (<see cref="PointGoalOod"/>).
/// </summary>
public sealed class PointGoalDistribution : ITaskDistribution<PointGoalTask>
{
    public const double FurtherOutRadius = 1.5;

    public PointGoalDistribution(TaskSplit split = TaskSplit.Train, PointGoalOod ood = PointGoalOod.OtherHalf)
    {
        if (!Enum.IsDefined(ood)) throw new ArgumentOutOfRangeException(nameof(ood), ood, "unknown ood variant");
        Split = split;
        Ood = ood;
    }

    public TaskSplit Split { get; }
    public PointGoalOod Ood { get; }

    public PointGoalTask Sample(Random rng)
    {
        double angle = Math.PI * rng.NextDouble(), radius = 1.0;
        if (Split == TaskSplit.Ood)
        {
            if (Ood == PointGoalOod.OtherHalf) angle += Math.PI;
            else radius = FurtherOutRadius;
        }
        return new PointGoalTask(radius * Math.Cos(angle), radius * Math.Sin(angle));
    }
}
