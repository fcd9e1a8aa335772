using MetaRL.Actors.Inference;
using MetaRL.Environments;

namespace MetaRL.Actors.Population;

/// <summary>The population's shape and scheduling (config key <c>population</c>).</summary>
public sealed record PopulationOptions
{
    /// <summary>Agents alive at once; each owns a task actor.</summary>
    public int Agents { get; init; } = 256;

    /// <summary>The most agents one population may hold (about 20 GB of actors at a million; see the README's population figures).</summary>
    public const int MaxAgents = 1 << 22;

    /// <summary>Inference batchers; agent i is served by batcher i mod Batchers.</summary>
    public int Batchers { get; init; } = 1;

    /// <summary><c>Lockstep</c> (reproducible) or <c>Async</c> (deadline batching, for throughput).</summary>
    public BatchingMode Mode { get; init; } = BatchingMode.Lockstep;

    /// <summary>Async: the largest batch a batcher runs (0: all the agents it serves).</summary>
    public int MaxBatch { get; init; }

    /// <summary>Async: milliseconds a request may wait for its batch to fill.</summary>
    public double MaxWaitMs { get; init; } = 2;

    /// <summary>Trials per learner update (0: one trial of every agent). Lockstep needs a multiple of <see cref="Agents"/>.</summary>
    public int TrialsPerUpdate { get; init; }

    /// <summary>Async: trials more than this many policy versions old are dropped (and counted).</summary>
    public int MaxPolicyLag { get; init; } = 2;

    /// <summary>Named groups with their own schedules and shares of the agents (null: one group, the env's own schedule).</summary>
    public IReadOnlyList<AgentGroupOptions>? Groups { get; init; }

    /// <summary>Trials per update with the default resolved.</summary>
    public int EffectiveTrialsPerUpdate => TrialsPerUpdate == 0 ? Agents : TrialsPerUpdate;

    public void Validate(OptionErrors errors, string prefix = "population")
    {
        errors.Between($"{prefix}.agents", Agents, 1, MaxAgents);
        errors.Require(Batchers >= 1 && Batchers <= Math.Max(1, Agents), $"{prefix}.batchers", Batchers, $"a whole number from 1 to the number of agents ({Agents})");
        errors.AtLeast($"{prefix}.maxBatch", MaxBatch, 0);
        errors.Positive($"{prefix}.maxWaitMs", MaxWaitMs);
        errors.AtLeast($"{prefix}.trialsPerUpdate", TrialsPerUpdate, 0);
        errors.AtLeast($"{prefix}.maxPolicyLag", MaxPolicyLag, 0);
        if (Groups is { Count: > 0 } groups) AgentGroups.Validate(groups, Agents, errors, prefix);
        if (Groups is { Count: 0 }) errors.Require(false, $"{prefix}.groups", "[]", "at least one group, or no groups key");
        if (Mode == BatchingMode.Lockstep && Agents > 0)
            errors.Require(EffectiveTrialsPerUpdate % Agents == 0, $"{prefix}.trialsPerUpdate", TrialsPerUpdate,
                $"a multiple of population.agents ({Agents}) in lockstep mode, so that every update takes whole rounds");
    }
}
