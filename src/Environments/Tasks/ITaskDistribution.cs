namespace MetaRL.Environments.Tasks;

/// <summary>
/// A distribution over tasks. <see cref="Sample"/> returns a small, immutable, serialisable record
/// (it round-trips through System.Text.Json), so tasks can be logged, persisted and sent between actors.
/// </summary>
public interface ITaskDistribution<TTask>
{
    /// <summary>Which split this distribution draws from.</summary>
    TaskSplit Split { get; }

    TTask Sample(Random rng);
}

/// <summary>
/// Named splits of a task family. <c>Train</c> is what meta-training sees; <c>Test</c> is held out
/// (disjoint from train where the family is finite, otherwise the same law drawn from its own seed
/// stream); <c>Ood</c> is a shifted distribution that tests generalisation.
/// </summary>
public enum TaskSplit
{
    Train,
    Test,
    Ood,
}
