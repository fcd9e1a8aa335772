using System.Text.Json;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class WangAndGaussianBanditTests
{
    private static BanditTask[] Draw(WangBanditVariant variant, TaskSplit split, int n = 4000, int seed = 1)
    {
        var dist = new WangBanditDistribution(variant, split);
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => dist.Sample(rng)).ToArray();
    }

    [Theory]
    [InlineData(WangBanditVariant.Easy, 0.1)]
    [InlineData(WangBanditVariant.Medium, 0.25)]
    [InlineData(WangBanditVariant.Hard, 0.4)]
    public void Dependent_fixed_variants_draw_their_two_tasks_equally_often(WangBanditVariant variant, double low)
    {
        var tasks = Draw(variant, TaskSplit.Train);
        Assert.All(tasks, t => Assert.Equal(2, t.Arms));
        Assert.All(tasks, t => Assert.Equal(1.0, t.Means[0] + t.Means[1], 12));
        Assert.All(tasks, t => Assert.True(Math.Abs(t.Means[0] - low) < 1e-12 || Math.Abs(t.Means[0] - (1 - low)) < 1e-12));
        Assert.InRange(tasks.Count(t => t.Means[0] < 0.5) / (double)tasks.Length, 0.47, 0.53);
    }

    [Fact]
    public void Independent_arms_are_uniform_and_uncorrelated_and_dependent_uniform_is_coupled()
    {
        var ind = Draw(WangBanditVariant.Independent, TaskSplit.Train);
        Assert.InRange(ind.Average(t => t.Means[0]), 0.48, 0.52);
        Assert.InRange(ind.Average(t => t.Means[1]), 0.48, 0.52);
        double cov = ind.Average(t => (t.Means[0] - 0.5) * (t.Means[1] - 0.5));
        Assert.InRange(cov, -0.005, 0.005); // uncorrelated; a coupled pair would give −1/12 ≈ −0.083

        var uni = Draw(WangBanditVariant.Uniform, TaskSplit.Train);
        Assert.All(uni, t => Assert.Equal(1.0, t.Means[0] + t.Means[1], 12));
        Assert.InRange(uni.Average(t => t.Means[0]), 0.48, 0.52);
        Assert.InRange(uni.Count(t => t.Means[0] < 0.25) / (double)uni.Length, 0.23, 0.27);
    }

    [Fact]
    public void Ood_splits_break_what_training_could_exploit()
    {
        // easy → p1 now takes values never seen (still coupled)
        var easy = Draw(WangBanditVariant.Easy, TaskSplit.Ood);
        Assert.All(easy, t => Assert.Equal(1.0, t.Means[0] + t.Means[1], 12));
        Assert.InRange(easy.Count(t => t.Means[0] > 0.2 && t.Means[0] < 0.8) / (double)easy.Length, 0.57, 0.63);
        // dependent uniform → the arms are no longer coupled
        var uni = Draw(WangBanditVariant.Uniform, TaskSplit.Ood);
        Assert.True(uni.Count(t => Math.Abs(t.Means[0] + t.Means[1] - 1) > 1e-6) > uni.Length * 0.99);
        // independent → Beta(0.5, 0.5): mass near 0 and 1
        var ind = Draw(WangBanditVariant.Independent, TaskSplit.Ood).SelectMany(t => t.Means).ToArray();
        Assert.InRange(ind.Count(m => m < 0.1 || m > 0.9) / (double)ind.Length, 0.39, 0.43);
    }

    [Fact]
    public void Gaussian_bandit_pays_mean_plus_noise_of_std_0_3_in_terminated_one_step_episodes()
    {
        var env = new GaussianBanditEnv(new BanditTask([0.2, 0.7]), seed: 2);
        var rewards = new double[20_000];
        for (int i = 0; i < rewards.Length; i++)
        {
            env.Reset();
            var r = env.Step(1);
            Assert.True(r.Terminated);
            Assert.False(r.Truncated);
            Assert.Equal(0, r.Obs);
            rewards[i] = r.Reward;
        }
        double m = rewards.Average(), sd = Math.Sqrt(rewards.Select(x => (x - m) * (x - m)).Average());
        Assert.InRange(m, 0.69, 0.71);
        Assert.InRange(sd, 0.29, 0.31);
        Assert.Throws<InvalidOperationException>(() => env.Step(0));
    }

    [Fact]
    public void Gaussian_bandit_same_seed_same_rewards()
    {
        static double[] Run(int seed)
        {
            var env = new GaussianBanditEnv(new BanditTask([0.1, 0.5, 0.9]));
            env.Reset(seed);
            var r = new double[50];
            for (int i = 0; i < r.Length; i++) { r[i] = env.Step(i % 3).Reward; env.Reset(); }
            return r;
        }
        Assert.Equal(Run(3), Run(3));
        Assert.NotEqual(Run(3), Run(4));
    }

    [Fact]
    public void Bandit_tasks_round_trip_through_json()
    {
        var task = Draw(WangBanditVariant.Independent, TaskSplit.Train, n: 1)[0];
        var back = JsonSerializer.Deserialize<BanditTask>(JsonSerializer.Serialize(task))!;
        Assert.Equal(task.Means, back.Means);
    }
}
