using MetaRL.Environments.Bandits;
using MetaRL.Environments.Checking;
using MetaRL.Environments.Spaces;
using MetaRL.Environments.Tabular;

namespace MetaRL.Environments.Tests;

public sealed class EnvCheckerTests
{
    /// <summary>A small env whose faults are switched on one at a time.</summary>
    private sealed class FaultyEnv : IEnv<float[], int>
    {
        private Random _rng = new(0);
        private int _t;
        private bool _ended = true;
        private readonly float[] _shared = new float[2];
        private static readonly Random SharedRng = new(123);

        public int ObsLength { get; init; } = 2;
        public float ObsValue { get; init; } = 0.5f;
        public bool IgnoreSeed { get; init; }
        public bool NeverEnds { get; init; }
        public bool BothFlags { get; init; }
        public bool NanReward { get; init; }
        public bool StepsAfterEnd { get; init; }
        public bool ReusesArray { get; init; }

        public Space<float[]> ObservationSpace { get; } = new Box(2, -1f, 1f);
        public Space<int> ActionSpace { get; } = new Discrete(3);

        public (float[] Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
        {
            if (seed is int s) _rng = new Random(s);
            _t = 0;
            _ended = false;
            return ([0f, 0f], Info.Empty);
        }

        public StepResult<float[]> Step(int action)
        {
            if (_ended && !StepsAfterEnd) throw new InvalidOperationException("episode over");
            _t++;
            double reward = NanReward && _t == 3 ? double.NaN : (IgnoreSeed ? SharedRng : _rng).NextDouble();
            float[] obs = ReusesArray ? _shared : new float[ObsLength];
            obs[0] = ObsValue;
            bool end = !NeverEnds && _t >= 5;
            _ended = end;
            return new StepResult<float[]>(obs, reward, Terminated: end && BothFlags, Truncated: end, Info.Empty);
        }
    }

    private static EnvCheckReport Check(Func<FaultyEnv> make) => EnvChecker.Check<float[], int>(() => make(), new EnvCheckOptions(Steps: 100, MaxEpisodeSteps: 50));

    [Fact]
    public void A_correct_env_passes_without_findings()
    {
        var report = Check(() => new FaultyEnv());
        Assert.Empty(report.Issues);
        Assert.True(report.Passed);
        Assert.Equal("FaultyEnv: all checks passed", report.ToString());
    }

    [Fact]
    public void Wrong_observation_shape_names_expected_and_actual_shape()
    {
        var report = Check(() => new FaultyEnv { ObsLength = 3 });
        var issue = Assert.Single(report.Errors);
        Assert.Equal("step-observation", issue.Check);
        Assert.Contains("expected float[2] within Box([2], -1..1), got float[3] [0.5, 0, 0]", issue.Message);
        Assert.False(report.Passed);
        Assert.Throws<InvalidOperationException>(report.ThrowIfFailed);
    }

    [Fact]
    public void Out_of_bounds_observation_names_the_element()
    {
        var issue = Assert.Single(Check(() => new FaultyEnv { ObsValue = 5f }).Errors);
        Assert.Contains("got float[2] [5, 0] (element 0 = 5 is outside [-1, 1])", issue.Message);
    }

    [Fact]
    public void Discrete_mismatch_names_the_range()
    {
        Assert.Equal("expected an int in 0..4 (Discrete(5)), got int 7", EnvChecker.Mismatch(new Discrete(5), 7));
    }

    [Fact]
    public void Ignoring_the_reset_seed_is_reported_with_where_it_diverged()
    {
        var report = Check(() => new FaultyEnv { IgnoreSeed = true });
        var issues = report.Errors.Where(i => i.Check == "seeding").ToList();
        Assert.NotEmpty(issues);
        Assert.Contains("two envs reset with seed 0 and given the same actions diverged at step 1 of episode 0: reward", issues[0].Message);
    }

    [Fact]
    public void An_env_that_never_ends_gets_a_warning_not_an_error()
    {
        var report = Check(() => new FaultyEnv { NeverEnds = true });
        var issue = Assert.Single(report.Issues);
        Assert.Equal(CheckSeverity.Warning, issue.Severity);
        Assert.Contains("no episode ended within 51 steps", issue.Message);
        Assert.True(report.Passed);
    }

    [Fact]
    public void Terminated_and_truncated_together_is_a_warning()
    {
        var issue = Assert.Single(Check(() => new FaultyEnv { BothFlags = true }).Issues);
        Assert.Equal("termination", issue.Check);
        Assert.Contains("set both Terminated and Truncated", issue.Message);
    }

    [Fact]
    public void Non_finite_reward_and_stepping_past_the_end_are_errors()
    {
        Assert.Contains(Check(() => new FaultyEnv { NanReward = true }).Errors,
            i => i.Message == "Step at step 2 of episode 0 returned reward NaN; expected a finite number");
        Assert.Contains(Check(() => new FaultyEnv { StepsAfterEnd = true }).Errors,
            i => i.Check == "step-after-end" && i.Message.Contains("after the episode truncated at step 5 did not throw"));
    }

    [Fact]
    public void Reusing_the_observation_array_is_a_warning()
    {
        var report = Check(() => new FaultyEnv { ReusesArray = true });
        Assert.Contains(report.Warnings, i => i.Check == "observation-aliasing" && i.Message.Contains("same Single[2] instance"));
    }

    [Fact]
    public void A_throwing_factory_is_a_finding_not_a_crash()
    {
        var report = EnvChecker.Check<int, int>(() => throw new InvalidOperationException("boom"));
        Assert.Equal("error [create]: the factory threw InvalidOperationException: boom", Assert.Single(report.Issues).ToString());
    }

    [Fact]
    public void The_shipped_bandit_and_mdp_envs_pass()
    {
        Assert.Empty(EnvChecker.Check<int, int>(() => new BernoulliBanditEnv(new BanditTask([0.3, 0.6]))).Issues);
        Assert.Empty(EnvChecker.Check<int, int>(() => new GaussianBanditEnv(new BanditTask([0.3, 0.6]))).Issues);
        var mdp = new RandomMdpDistribution().Sample(new Random(1));
        Assert.Empty(EnvChecker.Check<int, int>(() => new TabularMdpEnv(mdp)).Issues);
    }
}
