using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Grid;

/// <summary>
/// Goals of Dark Room (9×9: 81 goals) or Dark Room Hard (17×17: 289 goals), drawn uniformly from the
/// split's goal set.
/// <list type="bullet">
/// <item><c>train</c> and <c>test</c> partition all the cells: a seeded shuffle (<c>splitSeed</c>) holds
/// out <c>testFraction</c> of them (default 20 %: 16 of 81) as test goals never seen in training.</item>
/// <item><c>ood</c> is the outer ring of the room (32 of 81 cells): the goals farthest from the start,
/// which need the longest search. A room has no cells outside it, so these overlap train goals; the
/// shift is in where the mass lies. For unseen goals use <c>test</c>.</item>
/// </list>
/// With <c>testFraction</c> 0 no cell is held out: <c>train</c> and <c>test</c> both draw from every cell, and a test
/// trial differs from a training one only by its seeds (config <c>env.options.testFraction: 0</c>). A learner trained so
/// must search the whole room, where one trained on 65 cells learns to search only those (meta-overfitting).
/// </summary>
public sealed class DarkRoomDistribution : ITaskDistribution<DarkRoomTask>
{
    private readonly DarkRoomTask[] _goals;

    public DarkRoomDistribution(int size = DarkRoomEnv.DefaultSize, TaskSplit split = TaskSplit.Train,
        double testFraction = GoalSplits.DefaultTestFraction, int splitSeed = 0)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "a room of fewer than 2×2 cells cannot be split");
        Size = size;
        Split = split;
        var all = new List<DarkRoomTask>(size * size);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                all.Add(new DarkRoomTask(x, y));
        if (split == TaskSplit.Ood)
        {
            int c = size / 2;
            _goals = all.Where(g => Math.Max(Math.Abs(g.GoalX - c), Math.Abs(g.GoalY - c)) == c).ToArray();
        }
        else if (testFraction == 0)
            _goals = all.ToArray();
        else
        {
            var (train, test) = GoalSplits.Partition(all, testFraction, splitSeed);
            _goals = split == TaskSplit.Test ? test : train;
        }
    }

    public int Size { get; }
    public TaskSplit Split { get; }

    /// <summary>Every goal this split draws from, for enumerating them all (AD's 81 tasks).</summary>
    public IReadOnlyList<DarkRoomTask> Goals => _goals;

    public DarkRoomTask Sample(Random rng) => _goals[rng.Next(_goals.Length)];
}
