using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Grid;

/// <summary>
/// Partitions a finite task family into disjoint <c>train</c> and <c>test</c> sets by a seeded shuffle,
/// so the split is the same on every machine and every run with the same split seed.
/// </summary>
public static class GoalSplits
{
    /// <summary>The default share of tasks held out for <c>test</c>.</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>
    /// Shuffles <paramref name="all"/> with <paramref name="splitSeed"/> and returns the first
    /// round(fraction · n) items as test and the rest as train (each at least one item when n ≥ 2).
    /// </summary>
    public static (T[] Train, T[] Test) Partition<T>(IReadOnlyList<T> all, double testFraction, int splitSeed)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "the test fraction must lie strictly between 0 and 1");
        if (all.Count < 2) throw new ArgumentException($"a family of {all.Count} task(s) cannot be split into train and test");
        var order = all.ToArray();
        var rng = new Random(TaskSeeds.Mix(splitSeed, 0x5B117));
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        int test = Math.Clamp((int)Math.Round(testFraction * order.Length), 1, order.Length - 1);
        return (order[test..], order[..test]);
    }
}
