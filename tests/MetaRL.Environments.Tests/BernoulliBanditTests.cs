using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class BernoulliBanditTests
{
    [Fact]
    public void Each_pull_is_a_terminated_one_step_episode_paying_its_arms_mean()
    {
        var env = new BernoulliBanditEnv(new BanditTask([0.2, 0.9]), seed: 1);
        double sum = 0;
        const int pulls = 20_000;
        for (int i = 0; i < pulls; i++)
        {
            env.Reset();
            Assert.Equal(0.9, env.MeanReward(1)); // what a learner may train on instead of the coin
            var r = env.Step(1);
            Assert.True(r.Terminated);
            Assert.False(r.Truncated);
            Assert.True(r.Reward is 0.0 or 1.0);
            sum += r.Reward;
        }
        Assert.InRange(sum / pulls, 0.88, 0.92);
    }

    [Fact]
    public void Step_without_reset_and_out_of_range_arms_are_rejected()
    {
        var env = new BernoulliBanditEnv(new BanditTask([0.5, 0.5]));
        Assert.Throws<InvalidOperationException>(() => env.Step(0));
        env.Reset();
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(2));
    }

    [Fact]
    public void Same_seed_gives_same_rewards()
    {
        static double[] Run(int seed)
        {
            var env = new BernoulliBanditEnv(new BanditTask([0.5, 0.5, 0.5]));
            env.Reset(seed);
            var rewards = new double[100];
            for (int i = 0; i < rewards.Length; i++) { rewards[i] = env.Step(i % 3).Reward; env.Reset(); }
            return rewards;
        }
        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void Uniform_means_average_one_half_and_ood_split_is_u_shaped()
    {
        var train = new UniformBanditDistribution(5, TaskSplit.Train);
        var ood = new UniformBanditDistribution(5, TaskSplit.Ood);
        var rng = new Random(3);
        var t = Enumerable.Range(0, 4000).SelectMany(_ => train.Sample(rng).Means).ToArray();
        var o = Enumerable.Range(0, 4000).SelectMany(_ => ood.Sample(rng).Means).ToArray();
        Assert.InRange(t.Average(), 0.49, 0.51);
        Assert.InRange(t.Count(m => m < 0.1 || m > 0.9) / (double)t.Length, 0.18, 0.22); // U(0,1): 0.2
        Assert.InRange(o.Average(), 0.49, 0.51);
        Assert.InRange(o.Count(m => m < 0.1 || m > 0.9) / (double)o.Length, 0.39, 0.43); // Beta(.5,.5): 0.41
    }
}
