using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Navigation;

/// <summary>
/// Targets of the sign hallway. <c>train</c> and <c>test</c>: uniform over the N hallways (a family of N
/// tasks is too small to hold some out, and what is tested is reading the sign, not a goal). <c>ood</c>:
/// only the two outermost hallways, the ones farthest from the start, which punishes an agent that learned
/// to guess the near hallway instead of reading the sign.
/// </summary>
public sealed class HallwayDistribution : ITaskDistribution<HallwayTask>
{
    public HallwayDistribution(int hallways = SignHallwayEnv.DefaultHallways, TaskSplit split = TaskSplit.Train)
    {
        if (hallways < 2) throw new ArgumentOutOfRangeException(nameof(hallways), hallways, "a sign is only useful with at least 2 hallways");
        Hallways = hallways;
        Split = split;
    }

    public int Hallways { get; }
    public TaskSplit Split { get; }

    public HallwayTask Sample(Random rng) => Split == TaskSplit.Ood
        ? new HallwayTask(rng.Next(2) == 0 ? 0 : Hallways - 1)
        : new HallwayTask(rng.Next(Hallways));
}
