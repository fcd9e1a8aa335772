using System.Text.Json;
using MetaRL.Environments.Tabular;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class TabularMdpTests
{
    // Two states, two actions: action 0 stays, action 1 moves to the other state; R[s,a] = 10s + a.
    private static TabularMdpTask Deterministic() => new(
        States: 2, Actions: 2,
        MeanRewards: [0, 1, 10, 11],
        Transitions: [1, 0, 0, 1, /* s=1 */ 0, 1, 1, 0]);

    [Fact]
    public void Episodes_start_in_state_0_and_are_truncated_not_terminated_at_the_horizon()
    {
        var env = new TabularMdpEnv(new RandomMdpDistribution().Sample(new Random(1)), seed: 1);
        for (int episode = 0; episode < 3; episode++)
        {
            var (obs, _) = env.Reset();
            Assert.Equal(0, obs);
            for (int t = 1; t <= TabularMdpEnv.DefaultHorizon; t++)
            {
                var r = env.Step(t % 5);
                Assert.False(r.Terminated);
                Assert.Equal(t == TabularMdpEnv.DefaultHorizon, r.Truncated);
                Assert.True(env.ObservationSpace.Contains(r.Obs));
            }
            Assert.Throws<InvalidOperationException>(() => env.Step(0));
        }
    }

    private static readonly double[] MeanOf = [0, 1, 10, 11];

    [Fact]
    public void Deterministic_transitions_are_followed_and_rewards_average_their_means()
    {
        var env = new TabularMdpEnv(Deterministic(), horizon: 4000, seed: 2);
        env.Reset();
        double[] sums = new double[4];
        int[] counts = new int[4];
        int s = 0;
        for (int t = 0; t < 4000; t++)
        {
            int a = (t / 3) % 2; // a mix of staying and switching
            Assert.Equal(MeanOf[s * 2 + a], env.MeanReward(a)); // known before the step, from the state it leaves
            var r = env.Step(a);
            Assert.Equal(a == 0 ? s : 1 - s, r.Obs);
            sums[s * 2 + a] += r.Reward;
            counts[s * 2 + a]++;
            s = r.Obs;
        }
        for (int i = 0; i < 4; i++)
            Assert.InRange(sums[i] / counts[i], MeanOf[i] - 0.15, MeanOf[i] + 0.15); // N(R, 1): stderr ≈ 1/√1000 ≈ 0.03
    }

    [Fact]
    public void Next_states_follow_the_transition_row()
    {
        var task = new TabularMdpTask(3, 1, [0, 0, 0], [0.2, 0.5, 0.3, 1, 0, 0, 1, 0, 0]);
        var env = new TabularMdpEnv(task, horizon: 1, seed: 3);
        var counts = new int[3];
        const int n = 20_000;
        for (int i = 0; i < n; i++) { env.Reset(); counts[env.Step(0).Obs]++; }
        Assert.InRange(counts[0] / (double)n, 0.19, 0.21);
        Assert.InRange(counts[1] / (double)n, 0.49, 0.51);
        Assert.InRange(counts[2] / (double)n, 0.29, 0.31);
    }

    [Fact]
    public void Same_seed_gives_the_same_trajectory()
    {
        var task = new RandomMdpDistribution().Sample(new Random(4));
        static List<(int, double)> Run(TabularMdpTask task, int seed)
        {
            var env = new TabularMdpEnv(task);
            var list = new List<(int, double)>();
            env.Reset(seed);
            for (int e = 0; e < 3; e++)
            {
                if (e > 0) env.Reset();
                for (int t = 0; t < 10; t++) { var r = env.Step((t * 7 + e) % 5); list.Add((r.Obs, r.Reward)); }
            }
            return list;
        }
        Assert.Equal(Run(task, 9), Run(task, 9));
        Assert.NotEqual(Run(task, 9), Run(task, 10));
    }

    [Fact]
    public void Random_mdps_have_normal_1_1_rewards_and_flat_dirichlet_transitions()
    {
        var dist = new RandomMdpDistribution();
        var rng = new Random(5);
        var rewards = new List<double>();
        var probs = new List<double>();
        for (int i = 0; i < 400; i++)
        {
            var task = dist.Sample(rng);
            Assert.Equal(10, task.States);
            Assert.Equal(5, task.Actions);
            rewards.AddRange(task.MeanRewards);
            for (int s = 0; s < 10; s++)
                for (int a = 0; a < 5; a++)
                    Assert.Equal(1.0, task.NextStateDistribution(s, a).ToArray().Sum(), 9);
            probs.AddRange(task.Transitions);
        }
        double rm = rewards.Average(), rv = rewards.Select(r => (r - rm) * (r - rm)).Average();
        Assert.InRange(rm, 0.97, 1.03); // 20 000 draws: stderr 0.007
        Assert.InRange(rv, 0.96, 1.04);
        double pm = probs.Average(), pv = probs.Select(p => (p - pm) * (p - pm)).Average();
        Assert.Equal(0.1, pm, 9);
        Assert.InRange(pv, 0.0078, 0.0086); // a flat Dirichlet(1) marginal is Beta(1, 9): variance 9/1100 ≈ 0.00818
    }

    [Fact]
    public void Ood_mdps_have_nearly_deterministic_transitions()
    {
        var rng = new Random(6);
        var probs = Enumerable.Range(0, 400).SelectMany(_ => new RandomMdpDistribution(split: TaskSplit.Ood).Sample(rng).Transitions).ToArray();
        double pv = probs.Select(p => (p - 0.1) * (p - 0.1)).Average();
        Assert.InRange(pv, 0.042, 0.048); // Dirichlet(0.1) marginal Beta(0.1, 0.9): variance 9/200 = 0.045
    }

    [Fact]
    public void Task_records_round_trip_through_json()
    {
        var task = new RandomMdpDistribution(3, 2).Sample(new Random(7));
        var back = JsonSerializer.Deserialize<TabularMdpTask>(JsonSerializer.Serialize(task))!;
        Assert.Equal(task.States, back.States);
        Assert.Equal(task.Actions, back.Actions);
        Assert.Equal(task.MeanRewards, back.MeanRewards);
        Assert.Equal(task.Transitions, back.Transitions);
        Assert.Equal(task.RewardNoiseStd, back.RewardNoiseStd);
    }

    [Fact]
    public void Mismatched_tasks_and_bad_arrays_are_rejected()
    {
        var env = new TabularMdpEnv(Deterministic());
        Assert.Throws<ArgumentException>(() => env.SetTask(new RandomMdpDistribution().Sample(new Random(8))));
        Assert.Throws<ArgumentException>(() => new TabularMdpEnv(new TabularMdpTask(2, 2, [0, 0, 0], new double[8])));
        env.Reset();
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(2));
    }
}
