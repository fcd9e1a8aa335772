using MetaRL.Environments.Tasks;

namespace MetaRL.Training.Baselines;

/// <summary>What <c>metarl baselines</c> was asked to run, after parsing and validation.</summary>
internal sealed record BaselinesSettings
{
    /// <summary>The env family, a name of the <see cref="Environments.EnvCatalog"/>.</summary>
    public required string Env { get; init; }

    /// <summary>The family's knobs (<c>--arms</c>, <c>--states</c>, …); null fields are its defaults. Its split and schedule are <see cref="Split"/> and <see cref="Schedule"/>.</summary>
    public Environments.EnvOptions Options { get; init; } = new();

    /// <summary>A trial's length in episodes (pulls, for a bandit).</summary>
    public required int Episodes { get; init; }

    /// <summary>Trials per baseline; trial i uses task i of the split's seeded stream for every baseline.</summary>
    public int Trials { get; init; } = 1000;

    /// <summary>Run seed: tasks, env noise and policy randomness all derive from it.</summary>
    public int Seed { get; init; }

    /// <summary>Which task split the trials draw from.</summary>
    public TaskSplit Split { get; init; } = TaskSplit.Test;

    /// <summary>Worker threads (results do not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>A non-stationary schedule every trial runs under (null: stationary tasks).</summary>
    public Environments.NonStationary.ScheduleSpec? Schedule { get; init; }

    /// <summary>Print one JSON object instead of a table.</summary>
    public bool Json { get; init; }
}
