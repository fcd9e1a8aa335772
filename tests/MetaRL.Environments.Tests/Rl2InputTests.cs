using MetaRL.Environments.Spaces;
using MetaRL.Environments.Wrappers;

namespace MetaRL.Environments.Tests;

public sealed class Rl2InputTests
{
    private static Rl2Input<int, int> Input(int episodesPerTrial = 0) => new(new Discrete(3), new Discrete(2), episodesPerTrial);

    [Fact]
    public void A_trial_starts_with_action_0_reward_0_done_1()
    {
        Assert.Equal([0f, 1, 0, 1, 0, 0, 1], Input().Build(1));
    }

    [Fact]
    public void Previous_action_reward_and_done_carry_over_episode_boundaries_until_a_new_trial()
    {
        var rl2 = Input();
        rl2.Record(1, 0.5, done: false);
        Assert.Equal([1f, 0, 0, 0, 1, 0.5f, 0], rl2.Build(0));
        rl2.Record(0, 2, done: true); // the episode ended: the next input says so, with this step's action and reward
        Assert.Equal([0f, 0, 1, 1, 0, 2, 1], rl2.Build(2));
        rl2.BeginTrial();
        Assert.Equal([0f, 0, 1, 1, 0, 0, 1], rl2.Build(2));
    }

    [Fact]
    public void The_optional_progress_input_counts_ended_episodes_of_the_trial()
    {
        var rl2 = Input(episodesPerTrial: 4);
        Assert.Equal(8, rl2.Size);
        Assert.Equal(0f, rl2.Build(0)[^1]);
        rl2.Record(1, 0, done: false);
        Assert.Equal(0f, rl2.Build(0)[^1]);
        rl2.Record(1, 0, done: true);
        Assert.Equal(0.25f, rl2.Build(0)[^1]);
        rl2.Record(1, 0, done: true);
        Assert.Equal(0.5f, rl2.Build(0)[^1]);
        rl2.BeginTrial();
        Assert.Equal(0f, rl2.Build(0)[^1]);
        Assert.Equal(7, Rl2Input<int, int>.SizeFor(new Discrete(3), new Discrete(2), trialProgress: false));
    }

    [Fact]
    public void A_destination_too_short_is_refused_with_both_sizes()
    {
        var e = Assert.Throws<ArgumentException>(() => Input(2).Write(0, new float[7]));
        Assert.Contains("holds 7", e.Message);
        Assert.Contains("needs 8", e.Message);
    }

    [Fact]
    public void Episode_noise_comes_last_and_is_drawn_afresh_only_when_an_episode_or_a_trial_begins()
    {
        var rl2 = new Rl2Input<int, int>(new Discrete(3), new Discrete(2), episodesPerTrial: 4, episodeNoise: 2, noiseSeed: 7);
        Assert.Equal(10, rl2.Size);
        float[] Noise() => rl2.Build(0)[^2..];
        var first = Noise();
        Assert.NotEqual([0f, 0f], first);
        Assert.Equal(0f, rl2.Build(0)[7]); // the progress input keeps its place, before the noise
        rl2.Record(1, 0.5, done: false);
        Assert.Equal(first, Noise());
        rl2.Record(1, 0.5, done: true);
        var second = Noise();
        Assert.NotEqual(first, second);
        rl2.BeginTrial();
        Assert.NotEqual(second, Noise());
        // The same seed draws the same noise: a replayed trial sees the agent's draws.
        Assert.Equal(first, new Rl2Input<int, int>(new Discrete(3), new Discrete(2), 4, 2, noiseSeed: 7).Build(0)[^2..]);
    }
}
