using MetaRL.Environments.Bandits;
using MetaRL.Environments.Grid;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class EnvCatalogTests
{
    public static TheoryData<string> Names() => new(EnvCatalog.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_family_passes_the_env_checker_on_every_split(string name)
    {
        var family = EnvCatalog.Get(name);
        foreach (var split in Enum.GetValues<TaskSplit>())
        {
            var report = family.Check(new EnvOptions(Split: split), seed: 3);
            Assert.True(report.Issues.Count == 0, report.ToString());
        }
    }

    [Fact]
    public void Names_are_unique_and_include_the_issue_families()
    {
        Assert.Equal(EnvCatalog.Names.Count, EnvCatalog.Names.Distinct().Count());
        foreach (var n in new[] { "bernoulli-bandit", "tabular-mdp", "dark-room", "dark-room-hard", "dark-key-to-door", "gaussian-bandit",
                     "wang-bandit-independent", "wang-bandit-easy", "wang-bandit-medium", "wang-bandit-hard", "wang-bandit-uniform",
                     "point-robot-sparse", "point-navigation", "sign-hallway", "maze" })
            Assert.Contains(n, EnvCatalog.Names);
    }

    [Fact]
    public void Unknown_names_and_misapplied_options_get_one_line_errors()
    {
        var e = Assert.Throws<ArgumentException>(() => EnvCatalog.Get("dark-rooom"));
        Assert.StartsWith("unknown env 'dark-rooom'; expected one of: bernoulli-bandit, gaussian-bandit,", e.Message);
        e = Assert.Throws<ArgumentException>(() => EnvCatalog.Get("dark-room").Validate(new EnvOptions(Arms: 5)));
        Assert.Equal("option 'arms' does not apply to dark-room, which takes: size, horizon, testFraction", e.Message);
        e = Assert.Throws<ArgumentException>(() => EnvCatalog.Get("bernoulli-bandit").Validate(new EnvOptions(Arms: 0)));
        Assert.Equal("option 'arms' of bernoulli-bandit must be at least 1, got 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => EnvCatalog.Get("wang-bandit-easy").Validate(new EnvOptions(Arms: 2)));
        Assert.Equal("option 'arms' does not apply to wang-bandit-easy, which takes no options", e.Message);
        e = Assert.Throws<ArgumentException>(() => EnvCatalog.Get<float[], float[], BanditTask>("bernoulli-bandit"));
        Assert.Contains("has observations Int32, actions Int32 and tasks BanditTask", e.Message);
    }

    [Fact]
    public void Typed_families_build_what_the_options_say()
    {
        var bandit = EnvCatalog.Get<int, int, BanditTask>("Bernoulli-Bandit");
        var task = bandit.CreateDistribution(new EnvOptions(Arms: 10)).Sample(new Random(1));
        Assert.Equal(10, task.Arms);
        Assert.IsType<BernoulliBanditEnv>(bandit.CreateEnv(new EnvOptions(Arms: 10), task));
        Assert.Equal(100, bandit.EpisodesPerTrial);

        var room = EnvCatalog.Get<int, int, DarkRoomTask>("dark-room");
        var test = room.CreateDistribution(new EnvOptions(Split: TaskSplit.Test));
        Assert.Equal(TaskSplit.Test, test.Split);
        var env = (DarkRoomEnv)room.CreateEnv(new EnvOptions(Horizon: 7), new DarkRoomTask(1, 1));
        Assert.Equal(7, env.Horizon);
        Assert.True(((DarkRoomEnv)EnvCatalog.Get<int, int, DarkRoomTask>("dark-room-hard").CreateEnv(new EnvOptions(), new DarkRoomTask(1, 1))).RewardOnce);
    }

    /// <summary>Reports the types it was run with.</summary>
    private sealed class TypesOf : IDiscreteFamilyCode<string>
    {
        public string Run<TObs, TTask>(EnvFamily<TObs, int, TTask> family) => $"{typeof(TObs).Name}/{typeof(TTask).Name}/{family.Name}";
    }

    [Fact]
    public void A_family_runs_code_with_its_own_types_and_refuses_code_for_discrete_actions_when_its_are_not()
    {
        Assert.Equal("Int32/BanditTask/bernoulli-bandit", EnvCatalog.Get("bernoulli-bandit").WithDiscreteActions(new TypesOf()));
        Assert.Equal("Int32/DarkRoomTask/dark-room", EnvCatalog.Get("dark-room").WithDiscreteActions(new TypesOf()));
        var continuous = EnvCatalog.All.First(f => f.ActionType != typeof(int));
        var e = Assert.Throws<ArgumentException>(() => continuous.WithDiscreteActions(new TypesOf()));
        Assert.Contains($"\"{continuous.Name}\": this needs discrete actions", e.Message);
    }
}
