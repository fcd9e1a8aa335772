using MetaRL.Actors.Population;
using MetaRL.Environments;

namespace MetaRL.Actors.Tests;

public sealed class PopulationGroupsTests
{
    private static AgentGroupOptions G(string name, double share, string? schedule = null) => new() { Name = name, Share = share, Schedule = schedule };

    [Fact]
    public void Agents_are_split_in_order_by_cumulative_rounding_and_every_agent_has_its_group()
    {
        Assert.Equal([0, 128, 256], AgentGroups.Starts([G("a", 0.5), G("b", 0.5)], 256));
        Assert.Equal([0, 3, 7, 10], AgentGroups.Starts([G("a", 1 / 3.0), G("b", 1 / 3.0), G("c", 1 / 3.0)], 10));
        var starts = AgentGroups.Starts([G("a", 0.1), G("b", 0.6), G("c", 0.3)], 10);
        Assert.Equal([0, 1, 7, 10], starts);
        Assert.Equal([0, 1, 1, 1, 1, 1, 1, 2, 2, 2], Enumerable.Range(0, 10).Select(i => AgentGroups.GroupOf(i, starts)));
        Assert.Equal(0, AgentGroups.GroupOf(5, [0, 10])); // one group of all agents
    }

    [Fact]
    public void Bad_groups_are_reported_each_by_its_key()
    {
        var errors = new OptionErrors();
        new PopulationOptions { Agents = 4, Groups = [G("x y", 0.5), G("b", 0.0), G("c", 0.2, "hazard:7")] }.Validate(errors);
        var all = string.Join("\n", errors.Errors);
        Assert.Contains("population.groups.0.name = \"x y\"", all);
        Assert.Contains("population.groups.1.share = 0", all);
        Assert.Contains("population.groups.2.schedule = \"hazard:7\": hazard takes a probability", all);
        Assert.Contains("shares that sum to 1", all);

        errors = new OptionErrors();
        new PopulationOptions { Agents = 4, Groups = [G("a", 0.9), G("b", 0.1)] }.Validate(errors);
        Assert.Contains("population.groups.1.share = 0.1: expected a share that gives at least one of the 4 agents", Assert.Single(errors.Errors));

        errors = new OptionErrors();
        new PopulationOptions { Agents = 4, Groups = [G("a", 0.5), G("A", 0.5)] }.Validate(errors);
        Assert.Contains("population.groups.1.name = \"A\"", Assert.Single(errors.Errors)); // names are columns: case-blind unique

        errors = new OptionErrors();
        new PopulationOptions { Agents = 4, Groups = [G("a", 0.25, "switch-every:5"), G("b", 0.75)] }.Validate(errors);
        Assert.False(errors.Any);
    }
}
