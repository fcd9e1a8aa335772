using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Navigation;

/// <summary>
/// Goals of MAML's 2D navigation (Finn et al. 2017): uniform in the square [−0.5, 0.5]². The <c>test</c> split is the
/// same law on its own seed stream; the <c>ood</c> split draws from the ring between that square and [−1, 1]²
/// (goals further out than training ever put them).
/// </summary>
public sealed class SquareGoalDistribution(TaskSplit split = TaskSplit.Train) : ITaskDistribution<PointGoalTask>
{
    public const double HalfSide = 0.5;

    public TaskSplit Split { get; } = split;

    public PointGoalTask Sample(Random rng)
    {
        if (Split != TaskSplit.Ood) return new PointGoalTask(HalfSide * (2 * rng.NextDouble() - 1), HalfSide * (2 * rng.NextDouble() - 1));
        while (true)
        {
            double x = 2 * rng.NextDouble() - 1, y = 2 * rng.NextDouble() - 1;
            if (Math.Max(Math.Abs(x), Math.Abs(y)) > HalfSide) return new PointGoalTask(x, y);
        }
    }
}
