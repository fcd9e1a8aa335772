using MetaRL.Environments;
using MetaRL.Environments.NonStationary;

namespace MetaRL.Actors.Population;

/// <summary>How a population's agents are split into groups: contiguous ranges of agent indices, in the order the groups are listed.</summary>
public static class AgentGroups
{
    /// <summary>
    /// The first agent of each group (and, last, the number of agents): group g holds agents Starts[g] … Starts[g + 1] − 1,
    /// by cumulative rounding of the shares, so the counts add up to <paramref name="agents"/> exactly.
    /// </summary>
    public static int[] Starts(IReadOnlyList<AgentGroupOptions> groups, int agents)
    {
        var starts = new int[groups.Count + 1];
        double cumulative = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            cumulative += groups[g].Share;
            starts[g + 1] = g == groups.Count - 1 ? agents : (int)Math.Round(cumulative * agents);
        }
        return starts;
    }

    /// <summary>The group of <paramref name="agent"/> under <paramref name="starts"/> (from <see cref="Starts"/>).</summary>
    public static int GroupOf(int agent, IReadOnlyList<int> starts)
    {
        int lo = 0, hi = starts.Count - 2;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (starts[mid] <= agent) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>Checks names (unique, usable as a CSV column), shares (positive, summing to 1, at least one agent each) and schedules.</summary>
    public static void Validate(IReadOnlyList<AgentGroupOptions> groups, int agents, OptionErrors errors, string prefix)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        double total = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            string key = $"{prefix}.groups.{g}";
            errors.Require(!string.IsNullOrEmpty(group.Name) && group.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && names.Add(group.Name),
                $"{key}.name", group.Name, "a unique name of letters, digits, - and _");
            errors.Require(double.IsFinite(group.Share) && group.Share > 0, $"{key}.share", group.Share, "a fraction > 0");
            total += group.Share;
            if (group.Schedule is not null)
            {
                try
                {
                    ScheduleSpec.Parse(group.Schedule);
                }
                catch (ScheduleFormatException e)
                {
                    errors.Invalid($"{key}.schedule", group.Schedule, $"{e.Reason}; allowed: {ScheduleSpec.Forms}");
                }
            }
        }
        errors.Require(Math.Abs(total - 1) < 1e-6, $"{prefix}.groups", $"shares summing to {total:0.######}", "shares that sum to 1");
        if (groups.All(g => double.IsFinite(g.Share) && g.Share > 0) && Math.Abs(total - 1) < 1e-6)
        {
            var starts = Starts(groups, agents);
            for (int g = 0; g < groups.Count; g++)
                errors.Require(starts[g + 1] > starts[g], $"{prefix}.groups.{g}.share", groups[g].Share, $"a share that gives at least one of the {agents} agents");
        }
    }
}
