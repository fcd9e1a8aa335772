using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Mazes;

/// <summary>
/// Random mazes with a hidden exit: a fresh maze seed per task and an exit uniform over the cells other
/// than the start.
/// <list type="bullet">
/// <item><c>train</c> and <c>test</c> use the backtracker and partition the maze seeds (a seed is a test
/// maze when <see cref="IsTestSeed"/>, about one in five), so test mazes are never seen in training.</item>
/// <item><c>ood</c> uses randomised Prim's algorithm: a different kind of maze (short branches, many dead
/// ends) that a searcher tuned to long corridors has not met.</item>
/// </list>
/// </summary>
public sealed class MazeDistribution : ITaskDistribution<MazeTask>
{
    public MazeDistribution(int size = MazeEnv.DefaultSize, TaskSplit split = TaskSplit.Train)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "a maze needs at least 2×2 cells");
        Size = size;
        Split = split;
    }

    public int Size { get; }
    public TaskSplit Split { get; }

    /// <summary>Whether a maze seed belongs to the test split (a hash of the seed, so the partition needs no table).</summary>
    public static bool IsTestSeed(int mazeSeed) => TaskSeeds.Mix(mazeSeed, 0x3A2E) % 5 == 0;

    public MazeTask Sample(Random rng)
    {
        int seed;
        do seed = rng.Next();
        while (Split != TaskSplit.Ood && IsTestSeed(seed) != (Split == TaskSplit.Test));
        int exit = 1 + rng.Next(Size * Size - 1); // any cell but the start (0, 0)
        var generator = Split == TaskSplit.Ood ? MazeGenerator.Prim : MazeGenerator.Backtracker;
        return new MazeTask(Size, seed, exit % Size, exit / Size, generator);
    }
}
