using System.Text.Json;
using MetaRL.Environments.Checking;
using MetaRL.Environments.Grid;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class DarkRoomTests
{
    private static (int X, int Y) Pos(int obs, int size = 9) => (obs % size, obs / size);

    [Fact]
    public void Episodes_start_at_the_centre_and_moves_stop_at_the_border()
    {
        var env = DarkRoomEnv.Create(new DarkRoomTask(0, 0));
        var (obs, _) = env.Reset();
        Assert.Equal((4, 4), Pos(obs));
        Assert.Equal((3, 4), Pos(env.Step(GridActions.Left).Obs));
        Assert.Equal((4, 4), Pos(env.Step(GridActions.Right).Obs));
        Assert.Equal((4, 3), Pos(env.Step(GridActions.Up).Obs));
        Assert.Equal((4, 4), Pos(env.Step(GridActions.Down).Obs));
        Assert.Equal((4, 4), Pos(env.Step(GridActions.Stay).Obs));
        for (int i = 0; i < 6; i++) obs = env.Step(GridActions.Right).Obs;
        Assert.Equal((8, 4), Pos(obs)); // 4 moves to the wall, 2 bumps
    }

    [Fact]
    public void Every_step_on_the_goal_pays_1_and_the_episode_is_truncated_at_20()
    {
        var env = DarkRoomEnv.Create(new DarkRoomTask(6, 4));
        for (int episode = 0; episode < 2; episode++)
        {
            env.Reset();
            double total = 0;
            for (int t = 1; t <= 20; t++)
            {
                var r = env.Step(t <= 2 ? GridActions.Right : GridActions.Stay);
                Assert.Equal(t >= 2 ? 1.0 : 0.0, r.Reward);
                Assert.False(r.Terminated);
                Assert.Equal(t == 20, r.Truncated);
                total += r.Reward;
            }
            Assert.Equal(19, total);
            Assert.Throws<InvalidOperationException>(() => env.Step(0));
        }
    }

    [Fact]
    public void A_goal_at_the_start_pays_on_staying_but_not_at_reset()
    {
        var env = DarkRoomEnv.Create(new DarkRoomTask(4, 4));
        env.Reset();
        Assert.Equal(1.0, env.Step(GridActions.Stay).Reward);
        Assert.Equal(0.0, env.Step(GridActions.Left).Reward);
    }

    [Fact]
    public void Dark_room_hard_is_17_by_17_and_pays_once_an_episode()
    {
        var env = DarkRoomEnv.CreateHard(new DarkRoomTask(9, 8));
        Assert.Equal(289, ((Spaces.Discrete)env.ObservationSpace).N);
        for (int episode = 0; episode < 2; episode++)
        {
            var (obs, _) = env.Reset();
            Assert.Equal((8, 8), Pos(obs, 17));
            double total = 0;
            for (int t = 1; t <= 20; t++)
            {
                var r = env.Step(t == 1 ? GridActions.Right : t % 2 == 0 ? GridActions.Left : GridActions.Right); // on, off, on, …
                total += r.Reward;
                Assert.Equal(t == 20, r.Truncated);
                Assert.False(r.Terminated);
            }
            Assert.Equal(1, total);
        }
    }

    [Fact]
    public void Train_and_test_goals_are_disjoint_and_cover_the_81_cells()
    {
        var train = new DarkRoomDistribution(split: TaskSplit.Train).Goals;
        var test = new DarkRoomDistribution(split: TaskSplit.Test).Goals;
        Assert.Equal(65, train.Count);
        Assert.Equal(16, test.Count);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(81, train.Union(test).Distinct().Count());
        // the same split seed gives the same split; another seed another one
        Assert.Equal(test, new DarkRoomDistribution(split: TaskSplit.Test).Goals);
        Assert.NotEqual(test, new DarkRoomDistribution(split: TaskSplit.Test, splitSeed: 1).Goals);
    }

    [Fact]
    public void Samples_are_uniform_over_the_split_and_ood_is_the_outer_ring()
    {
        var dist = new DarkRoomDistribution(split: TaskSplit.Test);
        var rng = new Random(1);
        var counts = new Dictionary<DarkRoomTask, int>();
        for (int i = 0; i < 16_000; i++)
        {
            var g = dist.Sample(rng);
            counts[g] = counts.GetValueOrDefault(g) + 1;
        }
        Assert.Equal(16, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 880, 1120)); // 1000 each, sd ≈ 31

        var ood = new DarkRoomDistribution(split: TaskSplit.Ood).Goals;
        Assert.Equal(32, ood.Count);
        Assert.All(ood, g => Assert.True(g.GoalX is 0 or 8 || g.GoalY is 0 or 8));
        Assert.Equal(64, new DarkRoomDistribution(size: 17, split: TaskSplit.Ood).Goals.Count);
        Assert.Equal(289, new DarkRoomDistribution(size: 17, split: TaskSplit.Train).Goals.Count + new DarkRoomDistribution(size: 17, split: TaskSplit.Test).Goals.Count);
    }

    [Fact]
    public void Key_then_door_pays_two_and_terminates_door_first_pays_nothing()
    {
        var env = new DarkKeyToDoorEnv(new KeyDoorTask(KeyX: 5, KeyY: 4, DoorX: 3, DoorY: 4));
        env.Reset();
        var r = env.Step(GridActions.Left); // the door without the key
        Assert.Equal(0.0, r.Reward);
        Assert.False(r.Done);
        r = env.Step(GridActions.Right);
        r = env.Step(GridActions.Right); // the key
        Assert.Equal(1.0, r.Reward);
        Assert.True(env.HasKey);
        Assert.Equal(0.0, env.Step(GridActions.Stay).Reward); // the key pays once
        env.Step(GridActions.Left);
        r = env.Step(GridActions.Left); // the door with the key
        Assert.Equal(1.0, r.Reward);
        Assert.True(r.Terminated);
        Assert.False(r.Truncated);
        Assert.Throws<InvalidOperationException>(() => env.Step(0));

        env.Reset();
        Assert.False(env.HasKey); // the key does not survive the episode
    }

    [Fact]
    public void Key_to_door_is_truncated_at_50_steps_when_the_door_is_not_reached()
    {
        var env = new DarkKeyToDoorEnv(new KeyDoorTask(0, 0, 8, 8));
        env.Reset();
        for (int t = 1; t <= 50; t++)
        {
            var r = env.Step(GridActions.Stay);
            Assert.False(r.Terminated);
            Assert.Equal(t == 50, r.Truncated);
        }
        Assert.Throws<ArgumentException>(() => env.SetTask(new KeyDoorTask(1, 1, 1, 1)));
    }

    [Fact]
    public void Key_door_splits_are_disjoint_and_ood_pairs_lie_on_the_ring()
    {
        var train = new KeyDoorDistribution(split: TaskSplit.Train).Tasks;
        var test = new KeyDoorDistribution(split: TaskSplit.Test).Tasks;
        Assert.Equal(6480, train.Count + test.Count);
        Assert.Equal(1296, test.Count);
        Assert.Empty(train.Intersect(test));
        Assert.All(train, t => Assert.False(t.KeyX == t.DoorX && t.KeyY == t.DoorY));
        var ood = new KeyDoorDistribution(split: TaskSplit.Ood).Tasks;
        Assert.Equal(32 * 31, ood.Count);
        var rng = new Random(2);
        var sampled = Enumerable.Range(0, 5000).Select(_ => new KeyDoorDistribution(split: TaskSplit.Test).Sample(rng)).ToHashSet();
        Assert.True(sampled.IsSubsetOf(test));
        Assert.InRange(sampled.Count, 1200, 1296); // uniform draws reach nearly all 1296 pairs
    }

    [Fact]
    public void Grid_envs_pass_the_env_checker_and_replay_deterministically()
    {
        Assert.Empty(EnvChecker.Check<int, int>(() => DarkRoomEnv.Create(new DarkRoomTask(2, 7))).Issues);
        Assert.Empty(EnvChecker.Check<int, int>(() => DarkRoomEnv.CreateHard(new DarkRoomTask(2, 7))).Issues);
        Assert.Empty(EnvChecker.Check<int, int>(() => new DarkKeyToDoorEnv(new KeyDoorTask(3, 4, 5, 4))).Issues);
    }

    [Fact]
    public void Grid_task_records_round_trip_through_json()
    {
        var goal = new DarkRoomTask(3, 7);
        Assert.Equal(goal, JsonSerializer.Deserialize<DarkRoomTask>(JsonSerializer.Serialize(goal)));
        var kd = new KeyDoorTask(1, 2, 3, 4);
        Assert.Equal(kd, JsonSerializer.Deserialize<KeyDoorTask>(JsonSerializer.Serialize(kd)));
    }
}
