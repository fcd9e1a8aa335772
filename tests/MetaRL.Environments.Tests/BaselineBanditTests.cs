using MetaRL.Environments.Bandits;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.Policies;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class BaselineBanditTests
{
    private static BanditTask[] Tasks(int arms, int count, int seed = 1) =>
        BaselineEvaluator.Tasks(new UniformBanditDistribution(arms, TaskSplit.Train), count, seed);

    private static double[] Scores(BanditTask[] tasks, Func<IPolicy<int, int>> policy, int pulls, int seed = 1) =>
        BaselineEvaluator.Scores(tasks, (t, s) => new BernoulliBanditEnv(t, s), policy, pulls, seed);

    /// <summary>Mean regret against always pulling the best arm, per trial (n · best mean − score), so task variation cancels.</summary>
    private static (double Mean, double StdErr) Regret(BanditTask[] tasks, Func<IPolicy<int, int>> policy, int pulls)
    {
        var scores = Scores(tasks, policy, pulls);
        var regret = scores.Select((s, i) => pulls * tasks[i].BestMean - s).ToArray();
        var r = BaselineEvaluator.Summarise("", regret);
        return (r.Mean, r.StdErr);
    }

    [Fact]
    public void Oracle_beats_every_baseline()
    {
        const int arms = 5, pulls = 50;
        var tasks = Tasks(arms, 400);
        var suite = BanditBaselines.Create(arms, pulls);
        var results = suite.Select(b => BaselineEvaluator.Summarise(b.Name, Scores(tasks, b.Create, pulls))).ToList();
        var oracle = results.Single(r => r.Policy == "Oracle");
        Assert.Equal(pulls * tasks.Average(t => t.BestMean), oracle.Mean, 0.03 * pulls);
        foreach (var r in results.Where(r => r.Policy != "Oracle"))
            Assert.True(oracle.Mean > r.Mean + 1.0, $"Oracle {oracle.Mean:F2} does not beat {r.Policy} {r.Mean:F2} by a margin");
    }

    [Fact]
    public void Random_scores_half_a_point_a_pull()
    {
        var tasks = Tasks(5, 2000);
        var r = BaselineEvaluator.Summarise("Random", Scores(tasks, () => new RandomBandit(5), 10));
        Assert.InRange(r.Mean, 5.0 - 4 * r.StdErr, 5.0 + 4 * r.StdErr);
    }

    [Fact]
    public void Ucb1_regret_grows_like_log_n_while_greedy_regret_grows_linearly()
    {
        // From 1 000 to 10 000 pulls: log n growth multiplies regret by about ln 10⁴ / ln 10³ ≈ 1.3 plus
        // transients (we see ×2.5); linear growth multiplies it by 10. Greedy locks onto a bad arm in a
        // fixed fraction of trials and pays for it on every later pull.
        var tasks = Tasks(5, 300);
        var ucb1k = Regret(tasks, () => new Ucb1Bandit(5), 1000);
        var ucb10k = Regret(tasks, () => new Ucb1Bandit(5), 10_000);
        var greedy1k = Regret(tasks, () => new GreedyBandit(5), 1000);
        var greedy10k = Regret(tasks, () => new GreedyBandit(5), 10_000);
        double ucbRatio = ucb10k.Mean / ucb1k.Mean, greedyRatio = greedy10k.Mean / greedy1k.Mean;
        Assert.True(ucbRatio < 4, $"UCB1 regret went from {ucb1k.Mean:F1} to {ucb10k.Mean:F1} (×{ucbRatio:F1}); log n growth would be about ×1.3–3");
        Assert.True(greedyRatio > 7, $"Greedy regret went from {greedy1k.Mean:F1} to {greedy10k.Mean:F1} (×{greedyRatio:F1}); it should grow almost linearly");
    }

    [Fact]
    public void Gittins_beats_thompson_sampling_on_five_arms_and_a_hundred_pulls()
    {
        var tasks = Tasks(5, 1000);
        var gittins = Scores(tasks, () => new GittinsBandit(5, BanditBaselines.GittinsDiscount(100), 100), 100);
        var ts = Scores(tasks, () => new ThompsonBandit(5), 100);
        // Same tasks and env noise for both (common random numbers): the paired difference is sharp.
        var diff = BaselineEvaluator.Summarise("", gittins.Zip(ts, (g, t) => g - t).ToArray());
        Assert.True(diff.Mean > 1.5 && diff.Mean > 4 * diff.StdErr, $"Gittins − TS = {diff.Mean:F2} ± {diff.StdErr:F2}");
    }

    [Fact]
    public void Gittins_indices_match_published_values_and_order_states_sensibly()
    {
        // Gittins, Glazebrook and Weber (2011), Bernoulli arm, Beta(1, 1) prior: 0.7029 at γ = 0.9, 0.8699 at γ = 0.99.
        Assert.Equal(0.7029, GittinsIndexTable.For(0.9, 20).Index(0, 0), 3);
        Assert.Equal(0.8699, GittinsIndexTable.For(0.99, 5).Index(0, 0), 3);
        var table = GittinsIndexTable.For(0.9, 20);
        for (int s = 0; s < 10; s++)
            for (int f = 0; f < 10; f++)
            {
                double mean = (s + 1.0) / (s + f + 2.0);
                Assert.True(table.Index(s, f) > mean, $"index of ({s}, {f}) is not above its mean");
                Assert.True(table.Index(s + 1, f) > table.Index(s, f), "a success must raise the index");
                Assert.True(table.Index(s, f + 1) < table.Index(s, f), "a failure must lower the index");
            }
        // The exploration bonus shrinks as the posterior concentrates.
        Assert.True(table.Index(10, 10) - 0.5 < table.Index(1, 1) - 0.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Index(15, 6));
        Assert.Same(table, GittinsIndexTable.For(0.9, 20));
    }

    [Fact]
    public void Scores_depend_only_on_the_seed_not_on_threads()
    {
        var tasks = Tasks(5, 300);
        foreach (var spec in BanditBaselines.Create(5, 20))
        {
            var one = BaselineEvaluator.Scores(tasks, (t, s) => new BernoulliBanditEnv(t, s), spec.Create, 20, seed: 7, maxParallelism: 1);
            var two = BaselineEvaluator.Scores(tasks, (t, s) => new BernoulliBanditEnv(t, s), spec.Create, 20, seed: 7, maxParallelism: 2);
            var other = BaselineEvaluator.Scores(tasks, (t, s) => new BernoulliBanditEnv(t, s), spec.Create, 20, seed: 8, maxParallelism: 2);
            Assert.Equal(one, two);
            Assert.NotEqual(one, other);
        }
    }

    [Fact]
    public void Chunked_runs_give_the_same_tasks_and_scores_as_one_run()
    {
        var distribution = new UniformBanditDistribution(3, TaskSplit.Test);
        var whole = BaselineEvaluator.Tasks(distribution, 25, 3);
        var chunks = BaselineEvaluator.TaskChunks(distribution, 25, 3, chunkSize: 7).ToList();
        Assert.Equal([7, 7, 7, 4], chunks.Select(c => c.Length));
        Assert.Equal(whole.SelectMany(t => t.Means), chunks.SelectMany(c => c).SelectMany(t => t.Means));

        var all = BaselineEvaluator.Scores(whole, (t, s) => new BernoulliBanditEnv(t, s), () => new ThompsonBandit(3), 20, seed: 3);
        var pieces = new List<double>();
        int first = 0;
        foreach (var chunk in chunks)
        {
            pieces.AddRange(BaselineEvaluator.Scores(chunk, (t, s) => new BernoulliBanditEnv(t, s), () => new ThompsonBandit(3), 20, seed: 3, firstTrial: first));
            first += chunk.Length;
        }
        Assert.Equal(all, pieces);
    }

    [Fact]
    public void Greedy_breaks_ties_towards_the_lowest_arm_and_sticks_with_an_even_record()
    {
        var greedy = new GreedyBandit(3);
        greedy.BeginTrial(new Random(1));
        Assert.Equal(0, greedy.Act(0));
        greedy.Observe(0, 0, 1, 0, true, false);
        greedy.Observe(0, 0, 0, 0, true, false);
        // Arm 0 at one success, one failure has posterior mean 1/2, tied with the unpulled arms: it stays.
        Assert.Equal(0, greedy.Act(0));
        greedy.Observe(0, 0, 0, 0, true, false);
        Assert.Equal(1, greedy.Act(0));
    }

    [Fact]
    public void Ots_with_one_sample_is_thompson_sampling_and_more_samples_make_it_greedier()
    {
        var tasks = Tasks(5, 2000);
        var ts = Scores(tasks, () => new ThompsonBandit(5), 10);
        var ots1 = Scores(tasks, () => new OptimisticThompsonBandit(5, 1), 10);
        Assert.Equal(ts, ots1); // same draws from the same stream
        var ots20 = BaselineEvaluator.Summarise("", Scores(tasks, () => new OptimisticThompsonBandit(5, 20), 10));
        var tsMean = BaselineEvaluator.Summarise("", ts);
        Assert.True(ots20.Mean > tsMean.Mean + 0.3, $"OTS(20) {ots20.Mean:F2} vs TS {tsMean.Mean:F2} on 10 pulls");
    }
}
