using MetaRL.Environments.Bandits;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.NonStationary;
using MetaRL.Environments.Policies;
using MetaRL.Environments.Tabular;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

/// <summary>What a non-stationary study rests on: schedules seeded per trial and shared by every policy, tracking baselines that forget, and the recovery and regret math.</summary>
public sealed class TrackingStudyTests
{
    private static readonly EnvFamily<int, int, BanditTask> Bandits = EnvCatalog.Get<int, int, BanditTask>("bernoulli-bandit");
    private static readonly BanditTask Left = new([0.9, 0.1]);
    private static readonly BanditTask Right = new([0.1, 0.9]);

    /// <summary>Runs one trial of <paramref name="policy"/> on a seeded env under <paramref name="schedule"/>, recording every change.</summary>
    private static (TrialResult Result, List<(long Time, BanditTask Task)> Changes) Trial(string schedule, IPolicy<int, int> policy, int envSeed, int pulls = 200)
    {
        var options = new EnvOptions(Arms: 5, Schedule: ScheduleSpec.Parse(schedule));
        var task = Bandits.CreateDistribution(options).Sample(new Random(envSeed));
        var env = (NonStationaryEnv<int, int, BanditTask>)Bandits.CreateEnv(options, task);
        var changes = new List<(long, BanditTask)>();
        env.TaskChanged += (t, next) => changes.Add((t, next));
        env.Reset(envSeed);
        var result = TrialRunner.Run(env, policy, task, pulls, new Random(envSeed + 1), recordSteps: true);
        return (result, changes);
    }

    [Fact]
    public void Change_times_and_new_tasks_depend_on_the_seed_alone_never_on_the_policy()
    {
        foreach (var schedule in new[] { "hazard:0.05", "switch-every:30+drift:0.02" })
        {
            var random = Trial(schedule, new RandomBandit(5), envSeed: 11);
            var oracle = Trial(schedule, new OracleBandit(5), envSeed: 11);
            var ucb = Trial(schedule, new Ucb1Bandit(5, 0.2, priorCounts: true), envSeed: 11);
            Assert.NotEmpty(random.Changes);
            foreach (var other in new[] { oracle, ucb })
            {
                Assert.Equal(random.Changes.Select(c => c.Time), other.Changes.Select(c => c.Time));
                Assert.Equal(random.Changes.Select(c => c.Task.Means), other.Changes.Select(c => c.Task.Means));
                Assert.Equal(random.Result.SwitchTimes, other.Result.SwitchTimes);
            }
            var elsewhere = Trial(schedule, new RandomBandit(5), envSeed: 12);
            Assert.NotEqual(random.Changes.Select(c => c.Task.Means[0]), elsewhere.Changes.Select(c => c.Task.Means[0]));
        }
        // A drift is a change but not a switch: recovery is measured from switches only.
        var drift = Trial("drift:0.02", new RandomBandit(5), envSeed: 3);
        Assert.Equal(200, drift.Changes.Count); // before steps 1 … 199, and one made for step 200
        Assert.Empty(drift.Result.SwitchTimes!);
    }

    [Fact]
    public void The_tracking_oracle_is_told_every_switch_before_the_step_it_applies_to()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"changes": [{"step": 7, "task": {"means": [0, 1, 0, 0, 0]}}, {"step": 13, "task": {"means": [0, 0, 0, 1, 0]}}]}""");
            var options = new EnvOptions(Arms: 5, Schedule: ScheduleSpec.Parse($"scripted:{path}"));
            var start = new BanditTask([1.0, 0, 0, 0, 0]);
            var env = Bandits.CreateEnv(options, start);
            env.Reset(1);
            var result = TrialRunner.Run(env, new OracleBandit(5), start, 20, new Random(1), recordSteps: true);
            Assert.Equal(20.0, result.Total); // the best arm pays 1 at every step, across both switches
            Assert.Equal([7L, 13], result.SwitchTimes!);
            Assert.All(result.StepRewards!, r => Assert.Equal(1.0, r)); // expected rewards: the env knows its means
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// 600 pulls of a two-armed bandit whose best arm flips at pull 300: the share of the second half's pulls, from
    /// 100 pulls after the switch on, that go to the new best arm.
    /// </summary>
    private static double ShareOnNewBestArm(Func<IPolicy<int, int>> policy, List<double> recoveryTimes)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"changes": [{"step": 300, "task": {"means": [0.1, 0.9]}}]}""");
            var options = new EnvOptions(Arms: 2, Schedule: ScheduleSpec.Parse($"scripted:{path}"));
            var tasks = Enumerable.Repeat(Left, 100).ToArray();
            var record = new TrackingRecord(tasks.Length);
            BaselineEvaluator.Scores(tasks, (t, seed) => { var e = Bandits.CreateEnv(options, t); e.Reset(seed); return e; }, policy, 600, seed: 4, tracking: record);
            recoveryTimes.Add(record.Recovery.MedianRecoveryTime() ?? double.PositiveInfinity);
            // Expected reward 0.9 a pull on the new best arm, 0.1 on the other: the share follows from the window's mean.
            double late = record.Recovery.Curve()[^10..].Average();
            return (late - 0.1) / 0.8;
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Sliding_window_ucb_recovers_after_a_switch_within_about_its_window_while_ucb1_does_not()
    {
        var times = new List<double>();
        double sw = ShareOnNewBestArm(() => new SlidingWindowUcbBandit(2, window: 50), times);
        double ucb1 = ShareOnNewBestArm(() => new Ucb1Bandit(2, 0.2, priorCounts: true), times);
        double dUcb = ShareOnNewBestArm(() => new DiscountedUcbBandit(2, 0.95), times);
        double dTs = ShareOnNewBestArm(() => new DiscountedThompsonBandit(2, 0.95), times);
        double ts = ShareOnNewBestArm(() => new ThompsonBandit(2), times);
        Assert.True(sw > 0.8, $"SW-UCB put {sw:P0} of its pulls 40–49 after the switch on the new best arm");
        Assert.True(ucb1 < 0.2, $"UCB1 put {ucb1:P0} on the new best arm: 300 pulls of evidence should hold it on the old one");
        Assert.True(dUcb > 0.8 && dTs > 0.8, $"D-UCB {dUcb:P0}, D-TS {dTs:P0}");
        Assert.True(ts < 0.2, $"TS {ts:P0}");
        // Recovery: SW-UCB's median within a window and a half of the switch; UCB1's, held by 300 pulls of old evidence, far later.
        Assert.InRange(times[0], 10, 75);
        Assert.True(times[1] > 2 * times[0] + 20, $"UCB1 recovered in {times[1]} pulls, SW-UCB in {times[0]}");
    }

    [Fact]
    public void A_window_of_w_pulls_is_a_window_a_longer_one_recovers_later()
    {
        var times = new List<double>();
        ShareOnNewBestArm(() => new SlidingWindowUcbBandit(2, window: 20), times);
        ShareOnNewBestArm(() => new SlidingWindowUcbBandit(2, window: 100), times);
        Assert.True(times[0] < times[1], $"window 20 recovered in {times[0]} pulls, window 100 in {times[1]}");
        Assert.InRange(times[1], 20, 150);
    }

    [Fact]
    public void Recovery_time_is_the_first_full_post_switch_window_back_at_90_percent_of_the_pre_level()
    {
        // 10 steps at 1.0 before the switch at step 10, then 0 for 4 steps and 1 after: the moving average of the
        // steps since the switch first reaches 0.9 at s = 22 (steps 13…22 hold one 0): 13 steps after the switch.
        var rewards = Enumerable.Repeat(1.0, 10).Concat(Enumerable.Repeat(0.0, 4)).Concat(Enumerable.Repeat(1.0, 30)).ToArray();
        Assert.Equal(13, RecoveryStats.RecoveryTime(rewards, 10, rewards.Length, preLevel: 1.0));
        // Already at the level: the first full window, 10 steps.
        Assert.Equal(10, RecoveryStats.RecoveryTime(Enumerable.Repeat(0.5, 40).ToArray(), 10, 40, preLevel: 0.5));
        // The segment ends (next switch) before recovery: none.
        Assert.Null(RecoveryStats.RecoveryTime(rewards, 10, 20, preLevel: 1.0));
        // 0.9 of 0.8 is 0.72: a window holding 8 of 10 at 0.9 (0.72) counts exactly.
        var edge = Enumerable.Repeat(0.8, 10).Concat(Enumerable.Repeat(0.0, 2)).Concat(Enumerable.Repeat(0.9, 20)).ToArray();
        Assert.Equal(10, RecoveryStats.RecoveryTime(edge, 10, edge.Length, preLevel: 0.8));

        var stats = new RecoveryStats();
        stats.AddTrial(rewards, [10]);
        stats.AddTrial(rewards, [5]);            // fewer than 10 steps before: on the curve, not measured
        stats.AddTrial(Enumerable.Repeat(0.0, 40).ToArray(), [20]); // level 0: nothing to recover to
        stats.AddTrial(rewards, [10, 20]);       // the second switch cuts the first's search short
        Assert.Equal(5, stats.Switches);
        Assert.Equal(3, stats.Measured);         // [10] of trials 1 and 4, and 4's switch at 20 (its 10 steps before: 14…19 at 1, 10…13 at 0 → 0.6)
        Assert.Equal([13, 10], stats.RecoveryTimes); // trial 1's, and trial 4's switch at 20 (all ones after it, 0.6 before)
        Assert.Equal(1, stats.NeverRecovered);   // trial 4's switch at 10: its segment ends at 20, with 4 zeros in every window
        Assert.Equal(13, stats.MedianRecoveryTime()); // 10, 13, ∞ → 13
        Assert.Equal(1.0 / 3, stats.NeverRecoveredFraction, 12);

        var curve = stats.Curve();
        Assert.Equal(RecoveryStats.Before + RecoveryStats.After, curve.Length);
        // Offset 0 (the first step after the switch): trial 1 step 10 = 0, trial 2 step 5 = 1, trial 3 step 20 = 0,
        // trial 4 steps 10 = 0 and 20 = 1: mean 2/5.
        Assert.Equal(0.4, curve[RecoveryStats.Before], 12);
        // Offset −10: trial 2's switch at 5 has no step −5, so 4 switches reach it: trial 1 step 0 = 1, trial 3 step 10 = 0,
        // trial 4 steps 0 = 1 and 10 = 0.
        Assert.Equal(0.5, curve[0], 12);
    }

    [Fact]
    public void The_median_recovery_time_counts_never_recovered_switches_as_longest()
    {
        var recovered = Enumerable.Repeat(1.0, 60).ToArray();
        var lost = Enumerable.Repeat(1.0, 10).Concat(Enumerable.Repeat(0.0, 50)).ToArray();
        var stats = new RecoveryStats();
        stats.AddTrial(recovered, [10]);
        stats.AddTrial(lost, [10]);
        stats.AddTrial(lost, [10]);
        Assert.Null(stats.MedianRecoveryTime()); // two of three never recovered
        stats.AddTrial(recovered, [10]);
        stats.AddTrial(recovered, [10]);
        Assert.Equal(10, stats.MedianRecoveryTime());
        Assert.Equal(0.4, stats.NeverRecoveredFraction, 12);
    }

    [Fact]
    public void Tracking_regret_is_the_mean_of_the_oracles_paired_gains()
    {
        var oracle = new TrackingRecord(3);
        var policy = new TrackingRecord(3);
        double[] o = [10, 12, 8], p = [7, 12, 5];
        o.CopyTo(oracle.ExpectedScores, 0);
        p.CopyTo(policy.ExpectedScores, 0);
        var s = TrackingSummary.Of(policy, oracle);
        Assert.Equal(2.0, s.Regret, 12);                   // gaps 3, 0, 3
        Assert.Equal(Math.Sqrt(3.0 / 3), s.RegretStdErr, 12); // sd √3, over √3
        Assert.Equal(0.0, TrackingSummary.Of(oracle, oracle).Regret);
        Assert.True(double.IsNaN(TrackingSummary.Of(policy, null).Regret));
        Assert.Throws<ArgumentException>(() => TrackingSummary.Of(new TrackingRecord(2), oracle));
    }

    /// <summary>Exposes an MDP policy's statistics.</summary>
    private sealed class Counting(int window) : MdpPolicy(2, 2, 5)
    {
        public override string Name => "counting";
        public int[] VisitCounts => Visits;
        public int[] Transitions => TransitionCounts;
        public double[] Rewards => RewardSums;
        public Counting Windowed() => new(window) { Window = window };
        protected override void Plan() { }
    }

    [Fact]
    public void A_windowed_mdp_policy_keeps_only_its_last_w_transitions()
    {
        var p = new Counting(4).Windowed();
        p.BeginTrial(new Random(0));
        // (s, a) → s': four visits of (0,0)→1 with reward 1, then three of (1,1)→0 with reward 2.
        for (int i = 0; i < 4; i++) p.Observe(0, 0, 1.0, 1, false, false);
        for (int i = 0; i < 3; i++) p.Observe(1, 1, 2.0, 0, false, false);
        Assert.Equal(1, p.VisitCounts[0 * 2 + 0]);
        Assert.Equal(3, p.VisitCounts[1 * 2 + 1]);
        Assert.Equal(4, p.VisitCounts.Sum());
        Assert.Equal(1, p.Transitions[(0 * 2 + 0) * 2 + 1]);
        Assert.Equal(1.0 + 6.0, p.Rewards.Sum(), 12);
        var all = new Counting(4);
        all.BeginTrial(new Random(0));
        for (int i = 0; i < 7; i++) all.Observe(0, 0, 1.0, 1, false, false);
        Assert.Equal(7, all.VisitCounts.Sum()); // no window: everything kept
        Assert.Equal("SW-PSRL", new PsrlMdp(2, 2, 5, MdpPrior.TabulaRl) { Window = 10 }.Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PsrlMdp(2, 2, 5, MdpPrior.TabulaRl) { Window = 0 });
    }

    [Fact]
    public void Tuning_picks_the_best_value_of_the_grid_on_the_tasks_it_is_given()
    {
        var options = new EnvOptions(Arms: 5, Schedule: ScheduleSpec.Parse("switch-every:25"));
        var tasks = BaselineEvaluator.Tasks(Bandits.CreateDistribution(options), 200, 3);
        var sw = TrackingBaselines.ForBandits(5)[0];
        var (best, scores) = TrackingBaselines.Tune(sw, tasks, (t, s) => { var e = Bandits.CreateEnv(options, t); e.Reset(s); return e; }, 200, seed: 3);
        Assert.Equal(sw.Grid, scores.Select(x => x.Value));
        Assert.Equal(scores.Max(x => x.Mean), scores.Single(x => x.Value == best).Mean);
        Assert.True(best <= 50, $"with a switch every 25 pulls a window of {best} was best"); // a long window cannot track
    }
}
