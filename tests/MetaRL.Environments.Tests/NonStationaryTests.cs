using MetaRL.Environments.Bandits;
using MetaRL.Environments.NonStationary;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class NonStationaryTests
{
    private static readonly BanditTask Left = new([1.0, 0.0]);
    private static readonly BanditTask Right = new([0.0, 1.0]);

    /// <summary>Alternates Right, Left, Right, … so every switch is visible in the rewards.</summary>
    private sealed class Alternating : ITaskDistribution<BanditTask>
    {
        private int _n;
        public TaskSplit Split => TaskSplit.Train;
        public BanditTask Sample(Random rng) => _n++ % 2 == 0 ? Right : Left;
    }

    /// <summary>Pulls arm 0 for <paramref name="steps"/> one-step episodes; arm 0 pays 1 exactly while the task is Left.</summary>
    private static double[] PullArm0(NonStationaryEnv<int, int, BanditTask> env, int steps)
    {
        var rewards = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            env.Reset();
            rewards[t] = env.Step(0).Reward;
        }
        return rewards;
    }

    [Fact]
    public void Switch_every_k_steps_changes_before_steps_k_2k_3k_across_episodes()
    {
        var env = new NonStationaryEnv<int, int, BanditTask>(new BernoulliBanditEnv(Left), new SwitchEvery<BanditTask>(3, new Alternating()));
        var times = new List<long>();
        env.TaskChanged += (t, _) => times.Add(t);
        env.SetTask(Left);
        Assert.Equal([1, 1, 1, 0, 0, 0, 1, 1, 1, 0], PullArm0(env, 10));
        Assert.Equal([3L, 6, 9], times);
        Assert.Equal(3, env.ChangeCount);
        Assert.Equal(10, env.TrialStep);

        env.SetTask(Left); // a new trial restarts the clock
        Assert.Equal(0, env.TrialStep);
        Assert.Equal([1, 1, 1], PullArm0(env, 3));
    }

    [Fact]
    public void Hazard_switches_at_rate_h_with_geometric_gaps_and_reproducibly()
    {
        List<long> Times(double h, int seed)
        {
            var env = new NonStationaryEnv<int, int, BanditTask>(new BernoulliBanditEnv(Left), new SwitchWithHazard<BanditTask>(h, new UniformBanditDistribution(2)), seed);
            var times = new List<long>();
            env.TaskChanged += (t, _) => times.Add(t);
            env.SetTask(Left);
            env.Reset(seed);
            for (int t = 0; t < 20_000; t++) { env.Step(t % 2); env.Reset(); }
            return times;
        }
        var a = Times(0.1, 1);
        Assert.InRange(a.Count, 1850, 2150); // 19 999 chances at 0.1: sd ≈ 42
        var gaps = a.Zip(a.Skip(1), (x, y) => (double)(y - x)).ToArray();
        Assert.InRange(gaps.Average(), 9.5, 10.5); // geometric with mean 1/h
        Assert.InRange(gaps.Count(g => g == 1) / (double)gaps.Length, 0.08, 0.12); // P(gap = 1) = h
        Assert.Equal(a, Times(0.1, 1));
        Assert.NotEqual(a, Times(0.1, 2));
        Assert.Empty(Times(0, 1));
        Assert.Equal(20_000, Times(1, 1).Count); // before steps 1 … 19 999, and the one made for step 20 000
    }

    [Fact]
    public void Gaussian_drift_moves_bandit_means_by_sigma_root_t_and_keeps_them_in_0_1()
    {
        var rng = new Random(3);
        var displacement = new List<double>();
        for (int trial = 0; trial < 400; trial++)
        {
            var start = new BanditTask([0.5, 0.5]);
            var env = new NonStationaryEnv<int, int, BanditTask>(new BernoulliBanditEnv(start), new GaussianDrift<BanditTask>(0.01, BanditMeanDrift.Instance), seed: trial);
            env.SetTask(start);
            for (int t = 0; t < 101; t++) { env.Reset(); env.Step(0); }
            Assert.Equal(101, env.ChangeCount); // before every step but the first, and one already made for the 102nd
            displacement.AddRange(env.Task.Means.Select(m => m - 0.5));
        }
        double var = displacement.Select(d => d * d).Average();
        Assert.InRange(var, 0.0088, 0.0112); // 100 steps of N(0, 0.01²): variance 0.01, 800 samples
        Assert.InRange(displacement.Average(), -0.01, 0.01);

        var wild = new BanditTask([0.5, 0.5]);
        for (int i = 0; i < 1000; i++)
        {
            wild = BanditMeanDrift.Instance.Drift(wild, 0.5, rng);
            Assert.All(wild.Means, m => Assert.InRange(m, 0.0, 1.0));
        }
    }

    [Fact]
    public void Drift_can_run_every_few_steps_and_leaves_the_old_record_alone()
    {
        var start = new BanditTask([0.5, 0.5]);
        var env = new NonStationaryEnv<int, int, BanditTask>(new BernoulliBanditEnv(start), new GaussianDrift<BanditTask>(0.1, BanditMeanDrift.Instance, interval: 5));
        var times = new List<long>();
        env.TaskChanged += (t, _) => times.Add(t);
        env.SetTask(start);
        for (int t = 0; t < 16; t++) { env.Reset(); env.Step(0); }
        Assert.Equal([5L, 10, 15], times);
        Assert.Equal([0.5, 0.5], start.Means);
        Assert.NotEqual(start.Means, env.Task.Means);
    }

    [Fact]
    public void Scripted_changes_happen_exactly_at_their_times_and_restart_each_trial()
    {
        var schedule = new ScriptedChanges<BanditTask>([(4, Left), (2, Right)]); // given out of order
        var env = new NonStationaryEnv<int, int, BanditTask>(new BernoulliBanditEnv(Left), schedule);
        for (int trial = 0; trial < 2; trial++)
        {
            env.SetTask(Left);
            Assert.Equal([1, 1, 0, 0, 1, 1, 1], PullArm0(env, 7));
            Assert.Equal(2, env.ChangeCount);
        }
        var atZero = new NonStationaryEnv<int, int, BanditTask>(new BernoulliBanditEnv(Left), new ScriptedChanges<BanditTask>([(0, Right)]));
        atZero.SetTask(Left);
        Assert.Equal([0, 0], PullArm0(atZero, 2));
        Assert.Throws<ArgumentException>(() => new ScriptedChanges<BanditTask>([(3, Left), (3, Right)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScriptedChanges<BanditTask>([(-1, Left)]));
    }

    [Fact]
    public void The_agent_is_not_told_observations_and_info_are_unchanged()
    {
        var env = new NonStationaryEnv<int, int, BanditTask>(new BernoulliBanditEnv(Left), new SwitchEvery<BanditTask>(1, new Alternating()));
        env.SetTask(Left);
        for (int t = 0; t < 5; t++)
        {
            var (obs, info) = env.Reset();
            Assert.Equal(0, obs);
            Assert.Same(Info.Empty, info);
            var r = env.Step(0);
            Assert.Equal(0, r.Obs);
            Assert.Same(Info.Empty, r.Info);
        }
        Assert.Equal(5, env.ChangeCount); // before steps 1 … 4, and the one made for step 5 as soon as step 4 was over
    }

    [Fact]
    public void Point_goals_drift_as_a_gaussian_random_walk()
    {
        var rng = new Random(4);
        var steps = Enumerable.Range(0, 5000).Select(_ => PointGoalDrift.Instance.Drift(new Navigation.PointGoalTask(1, 0), 0.05, rng)).ToArray();
        Assert.InRange(steps.Average(g => g.GoalX), 0.997, 1.003);
        Assert.InRange(Math.Sqrt(steps.Average(g => g.GoalY * g.GoalY)), 0.048, 0.052);
    }

    [Fact]
    public void Bad_schedule_parameters_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SwitchEvery<BanditTask>(0, new Alternating()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SwitchWithHazard<BanditTask>(1.5, new Alternating()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianDrift<BanditTask>(-1, BanditMeanDrift.Instance));
    }
}
