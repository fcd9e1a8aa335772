using MetaRL.Policies.Algorithms;

namespace MetaRL.Policies.Tests;

public sealed class PpoBatchTests
{
    private static Trajectory Trial(int steps, float[] rewards, float[] values) =>
        new(0, 0, steps, 1, new float[steps], new int[steps], new float[steps], values, rewards, new bool[steps], 0, 0);

    [Fact]
    public void Trials_are_laid_out_time_major_padded_and_the_trial_end_is_terminal()
    {
        // Trial A: 2 steps; trial B: 1 step (padded). γ = 0.5, λ = 1: A's returns are 1 + 0.5·2 = 2 and 2 (no bootstrap after the end).
        using var batch = PpoBatch.Build([Trial(2, [1, 2], [0, 0]), Trial(1, [3], [1])], gamma: 0.5f, lambda: 1f);
        Assert.Equal((2, 2), (batch.Steps, batch.Trials));
        Assert.Equal([2f, 3, 2, 0], batch.Returns.ToArray<float>());
        Assert.Equal([2f, 2, 2, 0], batch.Advantages.ToArray<float>()); // B: 3 − V 1
        Assert.Equal([1f, 1, 1, 0], batch.Mask.ToArray<float>());
    }

    [Fact]
    public void The_reward_scale_scales_rewards_before_gae_so_values_live_in_scaled_units()
    {
        using var scaled = PpoBatch.Build([Trial(2, [10, 20], [1, 2])], gamma: 0.9f, lambda: 0.5f, rewardScale: 0.1f);
        using var plain = PpoBatch.Build([Trial(2, [1, 2], [1, 2])], gamma: 0.9f, lambda: 0.5f);
        Assert.Equal(plain.Advantages.ToArray<float>(), scaled.Advantages.ToArray<float>());
        Assert.Equal(plain.Returns.ToArray<float>(), scaled.Returns.ToArray<float>());
    }

    [Fact]
    public void The_mean_reward_signal_builds_returns_from_the_trials_mean_rewards()
    {
        // Sampled Bernoulli pulls 1, 0 of arms whose means are 0.7 and 0.2: with rewardSignal Mean the returns are
        // those of a trial that paid exactly the means; the sampled rewards play no part.
        var trial = Trial(2, [1, 0], [0, 0]) with { MeanRewards = [0.7f, 0.2f] };
        using var mean = PpoBatch.Build([trial], gamma: 0.5f, lambda: 1f, meanRewards: true);
        Assert.Equal([0.7f + 0.5f * 0.2f, 0.2f], mean.Returns.ToArray<float>());
        using var sampled = PpoBatch.Build([trial], gamma: 0.5f, lambda: 1f);
        Assert.Equal([1f, 0], sampled.Returns.ToArray<float>());
    }

    [Fact]
    public void The_mean_reward_signal_refuses_a_trial_without_means_and_says_why()
    {
        var e = Assert.Throws<ArgumentException>(() => PpoBatch.Build([Trial(1, [1], [0])], 0.9f, 0.3f, meanRewards: true));
        Assert.Contains("IMeanReward", e.Message);
    }
}
