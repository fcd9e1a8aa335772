using MetaRL.Environments.Bandits;
using MetaRL.Environments.NonStationary;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class ScheduleSpecTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-schedule-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Script(string json)
    {
        var path = Path.Combine(_dir, $"script-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Each_form_parses_and_forms_combine_with_plus()
    {
        var s = ScheduleSpec.Parse(" switch-every:50 + drift:0.01 ");
        Assert.Equal(50, s.SwitchEvery);
        Assert.Equal(0.01, s.Drift);
        Assert.Null(s.Hazard);
        Assert.Equal("switch-every:50+drift:0.01", s.Text);
        Assert.Equal(0.05, ScheduleSpec.Parse("hazard:0.05").Hazard);
        Assert.Equal(0.02, ScheduleSpec.Parse("drift:0.02").Drift);

        var family = EnvCatalog.Get<int, int, BanditTask>("bernoulli-bandit");
        var combined = ScheduleSpec.Parse("switch-every:50+drift:0.01").Build(family.CreateDistribution(new EnvOptions()), family.Drift, family.Name);
        var parts = Assert.IsType<CombinedSchedule<BanditTask>>(combined).Parts;
        Assert.IsType<SwitchEvery<BanditTask>>(parts[0]);
        Assert.IsType<GaussianDrift<BanditTask>>(parts[1]);
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("switch-every", "not of the form name:value")]
    [InlineData("switch-every:", "not of the form name:value")]
    [InlineData("switch-every:0", "switch-every takes a whole number of steps >= 1")]
    [InlineData("switch-every:2.5", "switch-every takes a whole number")]
    [InlineData("switch-every:-3", "switch-every takes a whole number")]
    [InlineData("hazard:0", "hazard takes a probability in (0, 1]")]
    [InlineData("hazard:1.5", "hazard takes a probability")]
    [InlineData("hazard:nan", "hazard takes a probability")]
    [InlineData("drift:-0.1", "drift takes a finite scale > 0")]
    [InlineData("drift:Infinity", "drift takes a finite scale > 0")]
    [InlineData("scripted:does-not-exist.json", "does not exist")]
    [InlineData("teleport:3", "'teleport' is not a schedule")]
    [InlineData("switch-every:5+switch-every:7", "switch-every is given twice")]
    [InlineData("switch-every:5+", "not of the form name:value")]
    public void Every_bad_form_is_rejected_with_its_reason_and_the_allowed_forms(string text, string reason)
    {
        var e = Assert.Throws<ScheduleFormatException>(() => ScheduleSpec.Parse(text));
        Assert.Contains(reason, e.Reason);
        Assert.Contains("allowed: switch-every:K", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_scripted_file_switches_to_its_tasks_or_to_fresh_draws_at_its_steps()
    {
        var path = Script("""{"changes": [{"step": 3, "task": {"means": [0.0, 1.0]}}, {"step": 6}]}""");
        var spec = ScheduleSpec.Parse($"scripted:{Path.GetFileName(path)}", _dir);
        Assert.Equal($"scripted:{path}", spec.Text); // saved with its full path
        var family = EnvCatalog.Get<int, int, BanditTask>("bernoulli-bandit");
        var options = new EnvOptions(Arms: 2, Schedule: spec);
        var env = (NonStationaryEnv<int, int, BanditTask>)family.CreateEnv(options, new BanditTask([1.0, 0.0]));
        env.Reset(5);
        var tasks = new List<BanditTask>();
        for (int t = 0; t < 8; t++) { tasks.Add(env.Task); env.Step(0); env.Reset(); }
        Assert.Equal([3L, 6], env.SwitchTimes);
        Assert.Equal([1.0, 0.0], tasks[2].Means);
        Assert.Equal([0.0, 1.0], tasks[3].Means);
        Assert.Equal([0.0, 1.0], tasks[5].Means);
        Assert.NotEqual([0.0, 1.0], tasks[6].Means); // a fresh draw from U(0,1)²
        Assert.Equal(2, tasks[6].Arms);
    }

    [Theory]
    [InlineData("""{"changes": []}""", "\"changes\" array is empty")]
    [InlineData("""{"switches": [3]}""", "no \"changes\" array")]
    [InlineData("""{"changes": [{"at": 3}]}""", "no \"step\"")]
    [InlineData("""{"changes": [{"step": -1}]}""", "no \"step\"")]
    [InlineData("""{"changes": [{"step": 2}, {"step": 2}]}""", "two changes at step 2")]
    [InlineData("""{"changes": [""", "is not a script")]
    public void A_bad_scripted_file_is_rejected_naming_the_file(string json, string reason)
    {
        var path = Script(json);
        var e = Assert.Throws<ScheduleFormatException>(() => ScheduleSpec.Parse($"scripted:{path}"));
        Assert.Contains(reason, e.Reason);
        Assert.Contains(path, e.Reason);
    }

    [Fact]
    public void A_family_rejects_what_it_cannot_run()
    {
        var mdp = EnvCatalog.Get("tabular-mdp");
        var e = Assert.Throws<ArgumentException>(() => mdp.Validate(new EnvOptions(Schedule: ScheduleSpec.Parse("drift:0.1"))));
        Assert.Contains("drift does not apply to tabular-mdp", e.Message);
        mdp.Validate(new EnvOptions(Schedule: ScheduleSpec.Parse("switch-every:20"))); // switches apply to every family

        var wrongTask = Script("""{"changes": [{"step": 1, "task": {"means": "high"}}]}""");
        var bandit = EnvCatalog.Get("bernoulli-bandit");
        var e2 = Assert.Throws<ArgumentException>(() => bandit.Validate(new EnvOptions(Schedule: ScheduleSpec.Parse($"scripted:{wrongTask}"))));
        Assert.Contains("change 1", e2.Message);
        Assert.Contains("BanditTask", e2.Message);
    }
}
