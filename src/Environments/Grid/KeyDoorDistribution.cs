using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Grid;

/// <summary>
/// Dark Key-to-Door tasks: a (key, door) pair of distinct cells, drawn uniformly from the split's pairs
/// (9×9: 81·80 = 6480 pairs).
/// <list type="bullet">
/// <item><c>train</c> and <c>test</c> partition all pairs by a seeded shuffle (<c>splitSeed</c>); test holds
/// out <c>testFraction</c> of them (default 20 %).</item>
/// <item><c>ood</c>: key and door both on the outer ring of the room, far from the start and usually from
/// each other (overlaps train pairs; the shift is towards long searches).</item>
/// </list>
/// </summary>
public sealed class KeyDoorDistribution : ITaskDistribution<KeyDoorTask>
{
    private readonly KeyDoorTask[] _tasks;

    public KeyDoorDistribution(int size = DarkKeyToDoorEnv.DefaultSize, TaskSplit split = TaskSplit.Train,
        double testFraction = GoalSplits.DefaultTestFraction, int splitSeed = 0)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "the room needs at least 2×2 cells");
        Size = size;
        Split = split;
        int c = size / 2;
        bool OnRing(int x, int y) => Math.Max(Math.Abs(x - c), Math.Abs(y - c)) == c;
        var all = new List<KeyDoorTask>(size * size * (size * size - 1));
        for (int k = 0; k < size * size; k++)
            for (int d = 0; d < size * size; d++)
                if (k != d) all.Add(new KeyDoorTask(k % size, k / size, d % size, d / size));
        if (split == TaskSplit.Ood)
        {
            _tasks = all.Where(t => OnRing(t.KeyX, t.KeyY) && OnRing(t.DoorX, t.DoorY)).ToArray();
        }
        else
        {
            var (train, test) = GoalSplits.Partition(all, testFraction, splitSeed);
            _tasks = split == TaskSplit.Test ? test : train;
        }
    }

    public int Size { get; }
    public TaskSplit Split { get; }

    /// <summary>Every (key, door) pair this split draws from.</summary>
    public IReadOnlyList<KeyDoorTask> Tasks => _tasks;

    public KeyDoorTask Sample(Random rng) => _tasks[rng.Next(_tasks.Length)];
}
