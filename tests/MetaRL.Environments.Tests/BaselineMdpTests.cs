using MetaRL.Environments.Baselines;
using MetaRL.Environments.Policies;
using MetaRL.Environments.Tabular;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class BaselineMdpTests
{
    private const int S = 10, A = 5, H = 10;

    private static TabularMdpTask[] Tasks(int count, int seed = 1) =>
        BaselineEvaluator.Tasks(new RandomMdpDistribution(S, A, TaskSplit.Train), count, seed);

    private static double[] Scores(TabularMdpTask[] tasks, Func<IPolicy<int, int>> policy, int episodes = 10, int seed = 1, int threads = 0) =>
        BaselineEvaluator.Scores(tasks, (t, s) => new TabularMdpEnv(t, H, s), policy, episodes, seed, threads);

    [Fact]
    public void Planner_matches_a_hand_computed_two_state_mdp()
    {
        // State 0: action 0 pays 1 and stays; action 1 pays 0 and moves to state 1. State 1: both actions pay 3 and stay.
        double[] r = [1, 0, 3, 3];
        double[] p = [1, 0, 0, 1, 0, 1, 0, 1];
        var q = new double[3 * 2 * 2];
        var v = new double[4 * 2];
        FiniteHorizonPlanner.Solve(2, 2, 3, r, p, q, v);
        // Last step (h = 2): Q(0,·) = (1, 0). h = 1: Q(0,0) = 1 + 1 = 2, Q(0,1) = 0 + 3 = 3. h = 0: Q(0,0) = 1 + 3 = 4, Q(0,1) = 0 + 6 = 6.
        Assert.Equal([6.0 - 2, 6.0], q[0..2]);
        Assert.Equal([2.0, 3.0], q[4..6]);
        Assert.Equal([1.0, 0.0], q[8..10]);
        Assert.Equal(6.0, FiniteHorizonPlanner.OptimalValue(2, 2, 3, r, p));
    }

    [Fact]
    public void Oracle_beats_every_baseline_and_scores_the_planned_value()
    {
        var tasks = Tasks(300);
        var results = MdpBaselines.Create(S, A, H).Select(b => BaselineEvaluator.Summarise(b.Name, Scores(tasks, b.Create))).ToList();
        var oracle = results.Single(r => r.Policy == "Oracle");
        double planned = tasks.Average(t => FiniteHorizonPlanner.OptimalValue(S, A, H, t.MeanRewards, t.Transitions)) * 10;
        Assert.Equal(planned, oracle.Mean, 4 * oracle.StdErr);
        foreach (var r in results.Where(r => r.Policy != "Oracle"))
            Assert.True(oracle.Mean > r.Mean + 30, $"Oracle {oracle.Mean:F1} does not beat {r.Policy} {r.Mean:F1} by a margin");
        var random = results.Single(r => r.Policy == "Random");
        Assert.InRange(random.Mean, 100 - 4 * random.StdErr, 100 + 4 * random.StdErr); // mean rewards average 1, 100 steps
    }

    [Fact]
    public void Psrl_beats_random_and_greedy()
    {
        var tasks = Tasks(4000);
        var suite = MdpBaselines.Create(S, A, H).ToDictionary(b => b.Name);
        var psrl = Scores(tasks, suite["PSRL"].Create);
        foreach (var other in new[] { "Random", "Greedy" })
        {
            var diff = BaselineEvaluator.Summarise("", psrl.Zip(Scores(tasks, suite[other].Create), (a, b) => a - b).ToArray());
            Assert.True(diff.Mean > 3 * diff.StdErr, $"PSRL − {other} = {diff.Mean:F2} ± {diff.StdErr:F2}");
        }
    }

    [Fact]
    public void What_is_learned_in_one_episode_is_used_in_the_next()
    {
        // Two states; in state 0 only action 3 pays (10) and every action stays in state 0. Greedy on the
        // empirical model values untried actions at 0, so once it has seen action 3 pay it never leaves it:
        // the statistics must survive the episode boundary (a truncation) for the second episode to be perfect.
        const int states = 2, actions = 4, horizon = 5;
        var rewards = new double[states * actions];
        rewards[3] = 10;
        var transitions = new double[states * actions * states];
        for (int sa = 0; sa < states * actions; sa++) transitions[sa * states] = 1;
        var task = new TabularMdpTask(states, actions, rewards, transitions, RewardNoiseStd: 0);
        var env = new TabularMdpEnv(task, horizon);
        var greedy = new CertaintyEquivalentMdp(states, actions, horizon, MdpPrior.Empirical);
        int checkedTrials = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            var returns = TrialRunner.Run(env, greedy, task, 4, new Random(seed)).EpisodeReturns;
            // Plans are made at episode start, so the episode that first finds the reward may be partial;
            // every episode after it must take the paying action on all its steps.
            int found = Array.FindIndex(returns, r => r > 0);
            if (found < 0 || found == returns.Length - 1) continue; // random tie-breaking never tried action 3 in time
            checkedTrials++;
            for (int e = found + 1; e < returns.Length; e++) Assert.Equal(50.0, returns[e]);
        }
        Assert.True(checkedTrials >= 15, $"only {checkedTrials} of 20 trials found the paying action before the last episode");
    }

    [Fact]
    public void Opsrl_with_one_sample_is_psrl_and_more_samples_are_more_optimistic()
    {
        var tasks = Tasks(200);
        var psrl = Scores(tasks, () => new PsrlMdp(S, A, H, MdpPrior.TabulaRl));
        var opsrl1 = Scores(tasks, () => new OptimisticPsrlMdp(S, A, H, MdpPrior.TabulaRl, 1));
        Assert.Equal(psrl, opsrl1);

        // From the same random stream, OPSRL(10)'s first sample is OPSRL(1)'s only one, and its plan is the upper envelope
        // of that and nine more: no action value lower, and on average clearly higher.
        double gain = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            var one = new OptimisticPsrlMdp(S, A, H, MdpPrior.TabulaRl, 1);
            var ten = new OptimisticPsrlMdp(S, A, H, MdpPrior.TabulaRl, 10);
            foreach (var policy in new[] { one, ten })
            {
                policy.BeginTrial(new Random(seed));
                policy.Act(0); // plans the first episode
            }
            var q1 = one.PlannedValues.ToArray();
            var q10 = ten.PlannedValues.ToArray();
            Assert.All(q1.Zip(q10), p => Assert.True(p.Second >= p.First - 1e-12, $"seed {seed}: {p.Second} < {p.First}"));
            gain += q10.Average() - q1.Average();
        }
        Assert.True(gain / 20 > 0.5, $"ten samples raised the mean action value by only {gain / 20:0.000}");
    }

    [Fact]
    public void Scores_depend_only_on_the_seed_not_on_threads()
    {
        var tasks = Tasks(100);
        foreach (var spec in MdpBaselines.Create(S, A, H))
        {
            var one = Scores(tasks, spec.Create, episodes: 3, seed: 4, threads: 1);
            var two = Scores(tasks, spec.Create, episodes: 3, seed: 4, threads: 2);
            Assert.Equal(one, two);
            Assert.NotEqual(one, Scores(tasks, spec.Create, episodes: 3, seed: 5, threads: 2));
        }
    }

    [Fact]
    public void Ucrl2_with_zero_width_is_greedy_on_the_empirical_model()
    {
        var tasks = Tasks(100);
        var ucrl = Scores(tasks, () => new Ucrl2Mdp(S, A, H, 0.05, scale: 0), threads: 1);
        var greedy = Scores(tasks, () => new CertaintyEquivalentMdp(S, A, H, new MdpPrior(1e-12, 0, 1e-12)), threads: 1);
        for (int i = 0; i < ucrl.Length; i++) Assert.Equal(greedy[i], ucrl[i], 6);
    }

    [Fact]
    public void Bad_constructor_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PsrlMdp(0, A, H, MdpPrior.Rl2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OptimisticPsrlMdp(S, A, H, MdpPrior.Rl2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BebMdp(S, A, H, MdpPrior.Rl2, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ucrl2Mdp(S, A, H, delta: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CertaintyEquivalentMdp(S, A, H, new MdpPrior(0, 0, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CertaintyEquivalentMdp(S, A, H, MdpPrior.Rl2, epsilon: 1.5));
    }
}
