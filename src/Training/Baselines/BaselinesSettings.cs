using MetaRL.Environments.Tasks;

namespace MetaRL.Training.Baselines;

/// <summary>What <c>metarl baselines</c> was asked to run, after parsing and validation.</summary>
internal sealed record BaselinesSettings
{
    /// <summary>The env family, one of <see cref="BaselineEnvs.Names"/>.</summary>
    public required string Env { get; init; }

    /// <summary>Bandit arms k.</summary>
    public int Arms { get; init; } = 5;

    /// <summary>Pulls per bandit trial n (each a one-step episode).</summary>
    public int Pulls { get; init; } = 100;

    /// <summary>Episodes per tabular-MDP trial n.</summary>
    public int Episodes { get; init; } = 10;

    /// <summary>States of the tabular MDPs.</summary>
    public int States { get; init; } = 10;

    /// <summary>Actions of the tabular MDPs.</summary>
    public int Actions { get; init; } = 5;

    /// <summary>Steps per tabular-MDP episode.</summary>
    public int Horizon { get; init; } = 10;

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
