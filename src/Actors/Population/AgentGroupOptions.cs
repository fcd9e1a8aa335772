using MetaRL.Environments.NonStationary;

namespace MetaRL.Actors.Population;

/// <summary>
/// One named group of a population (config key <c>population.groups</c>): its share of the agents and its own
/// non-stationary schedule (none: stationary tasks). All groups train together under one learner; metrics.csv and
/// the evaluation report each group apart.
/// </summary>
public sealed record AgentGroupOptions
{
    public string Name { get; init; } = "";

    /// <summary>The fraction of the agents in this group; the shares of all groups sum to 1.</summary>
    public double Share { get; init; }

    /// <summary>The group's schedule (<see cref="ScheduleSpec.Forms"/>); null for stationary tasks.</summary>
    public string? Schedule { get; init; }
}
