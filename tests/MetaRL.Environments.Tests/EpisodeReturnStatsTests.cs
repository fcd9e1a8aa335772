using MetaRL.Environments.Bandits;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

/// <summary>The baselines' adaptation curves: running sums that agree with the two-pass formulas and with the trial scores.</summary>
public sealed class EpisodeReturnStatsTests
{
    [Fact]
    public void The_curve_is_the_per_episode_mean_and_standard_error_of_the_trials_added()
    {
        var rng = new Random(7);
        var trials = Enumerable.Range(0, 37).Select(_ => Enumerable.Range(0, 4).Select(k => rng.NextDouble() * (k + 1) + 100).ToArray()).ToArray();
        var stats = new EpisodeReturnStats(4);
        foreach (var t in trials) stats.Add(t);
        var curve = stats.Curve();
        for (int k = 0; k < 4; k++)
        {
            var column = trials.Select(t => t[k]).ToArray();
            double mean = column.Average();
            double stderr = Math.Sqrt(column.Sum(x => (x - mean) * (x - mean)) / (column.Length - 1) / column.Length);
            Assert.Equal(mean, curve[k].Mean, 9);
            Assert.Equal(stderr, curve[k].StdErr, 9);
        }
        Assert.Equal(37, stats.Trials);
        Assert.Throws<ArgumentException>(() => stats.Add([1.0, 2.0]));

        // Merging parts gives the sums of adding every trial to one.
        var a = new EpisodeReturnStats(4);
        var b = new EpisodeReturnStats(4);
        foreach (var t in trials.Take(20)) a.Add(t);
        foreach (var t in trials.Skip(20)) b.Add(t);
        a.Merge(b);
        Assert.Equal(37, a.Trials);
        foreach (var (merged, whole) in a.Curve().Zip(curve))
        {
            Assert.Equal(whole.Mean, merged.Mean, 12);
            Assert.Equal(whole.StdErr, merged.StdErr, 9);
        }
        Assert.Equal([(0.0, 0.0)], Fill(1, 1.0).Curve().Select(c => (c.Mean - 1.0, c.StdErr))); // one constant trial: no spread
    }

    [Fact]
    public void A_baselines_curve_sums_to_its_mean_score_and_does_not_depend_on_the_threads()
    {
        var tasks = BaselineEvaluator.Tasks(new UniformBanditDistribution(4, TaskSplit.Test), 300, seed: 3);
        EpisodeReturnStats Run(int threads, out double[] scores)
        {
            var stats = new EpisodeReturnStats(25);
            scores = BaselineEvaluator.Scores(tasks, (t, s) => new BernoulliBanditEnv(t, s), () => new ThompsonBandit(4), 25, seed: 3,
                maxParallelism: threads, episodeReturns: stats);
            return stats;
        }
        var one = Run(1, out var scores);
        var two = Run(2, out _);
        Assert.Equal(300, one.Trials);
        Assert.Equal(one.Curve(), two.Curve()); // parts merged in chunk order: bit for bit
        Assert.Equal(scores.Average(), one.Curve().Sum(c => c.Mean), 9);
        // Thompson sampling learns within the trial: its last pulls pay more than its first.
        var curve = one.Curve();
        Assert.True(curve.Skip(20).Average(c => c.Mean) > curve.Take(3).Average(c => c.Mean) + 0.05,
            $"first pulls {curve.Take(3).Average(c => c.Mean):0.000}, last {curve.Skip(20).Average(c => c.Mean):0.000}");
    }

    private static EpisodeReturnStats Fill(int episodes, double value)
    {
        var s = new EpisodeReturnStats(episodes);
        s.Add(Enumerable.Repeat(value, episodes).ToArray());
        return s;
    }
}
