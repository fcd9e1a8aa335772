using System.Text.Json;
using MetaRL.Environments;

namespace MetaRL.Extensions.Tests;

/// <summary>A registered family's own classical suite runs as the built-in ones do: by name, under a schedule, with its tracking baselines tuned.</summary>
public sealed class DeclaredSuiteTests
{
    public DeclaredSuiteTests()
    {
        EnvCatalog.Register(TwoDoors.Family);
        EnvCatalog.Register(SwitchingDoors.Family);
    }

    private static Dictionary<string, (double Mean, string Settings)> Rows(string stdout) =>
        JsonDocument.Parse(stdout).RootElement.GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("policy").GetString()!, r => (r.GetProperty("mean").GetDouble(), r.GetProperty("settings").GetString()!));

    [Fact]
    public void Its_suite_runs_by_name_and_under_a_schedule_gains_its_tuned_tracking_baselines_and_the_tracking_oracle()
    {
        var (code, stdout, stderr) = Cli.Run("baselines", "--env", "switching-doors", "--trials", "400", "--json");
        Assert.True(code == 0, stderr);
        var still = Rows(stdout);
        Assert.Equal(["Random", "Majority", "Oracle"], still.Keys);
        Assert.Equal(20, still["Oracle"].Mean);          // 20 episodes, the prize behind the told door in each
        Assert.True(still["Majority"].Mean > 18, stdout); // one door opened blind, then the one that paid

        (code, stdout, stderr) = Cli.Run("baselines", "--env", "switching-doors", "--schedule", "switch-every:5", "--trials", "400", "--json");
        Assert.True(code == 0, stderr);
        var switching = Rows(stdout);
        Assert.Equal(["Random", "Majority", "Majority of w", "Tracking oracle"], switching.Keys);
        Assert.Equal(20, switching["Tracking oracle"].Mean); // told every switch
        Assert.Contains("the last 1 doors, best of 1/8", switching["Majority of w"].Settings);
        // Forgetting tracks the switches that a memory of the whole trial is slow to follow.
        Assert.True(switching["Majority of w"].Mean > switching["Majority"].Mean + 1, stdout);
    }

    [Fact]
    public void A_schedule_for_a_family_without_tracking_baselines_is_refused_naming_those_that_have_them()
    {
        var (code, stdout, stderr) = Cli.Run("baselines", "--env", "two-doors", "--schedule", "switch-every:5");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("--schedule needs a family with tracking baselines", stderr);
        Assert.Contains("switching-doors", stderr);
        Assert.Contains("bernoulli-bandit", stderr);
    }
}
