using System.Text.Json;
using MetaRL.Environments.Checking;
using MetaRL.Environments.Grid;
using MetaRL.Environments.Navigation;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class NavigationTests
{
    [Fact]
    public void Point_robot_clips_actions_to_a_tenth_and_is_truncated_at_20_steps()
    {
        var env = new SparsePointRobotEnv(new PointGoalTask(1, 0));
        var (obs, _) = env.Reset();
        Assert.Equal([0f, 0f], obs);
        var r = env.Step([5f, -0.05f]);
        Assert.Equal(0.1, r.Obs[0], 6);
        Assert.Equal(-0.05, r.Obs[1], 6);
        for (int t = 2; t <= 20; t++)
        {
            r = env.Step([1f, 0.05f]);
            Assert.False(r.Terminated);
            Assert.Equal(t == 20, r.Truncated);
        }
        Assert.Equal(2.0, r.Obs[0], 5); // 20 clipped steps of 0.1
        Assert.Throws<InvalidOperationException>(() => env.Step([0f, 0f]));
        env.Reset();
        Assert.Throws<ArgumentException>(() => env.Step([0f]));
        Assert.Throws<ArgumentException>(() => env.Step([float.NaN, 0f]));
    }

    [Fact]
    public void Point_robot_pays_one_minus_distance_only_within_0_2_of_the_goal()
    {
        var env = new SparsePointRobotEnv(new PointGoalTask(0, 1));
        env.Reset();
        for (int t = 0; t < 7; t++) Assert.Equal(0.0, env.Step([0f, 0.1f]).Reward); // y = 0.7: distance 0.3
        Assert.Equal(0.0, env.Step([0f, 0.05f]).Reward); // y = 0.75: distance 0.25, just outside
        var r = env.Step([0f, 0.1f]); // y = 0.85: distance 0.15
        Assert.Equal(0.85, r.Reward, 5);
        r = env.Step([0f, 0.1f]); // y = 0.95
        Assert.Equal(0.95, r.Reward, 5);
        r = env.Step([0f, 0.05f]); // on the goal
        Assert.Equal(1.0, r.Reward, 5);
        Assert.False(r.Done); // reaching the goal does not end the episode
        r = env.Step([0.1f, 0f]); // distance 0.1 sideways
        Assert.Equal(0.9, r.Reward, 5);
    }

    [Fact]
    public void Point_goals_lie_on_the_unit_half_circle_and_ood_moves_them()
    {
        var rng = new Random(1);
        var train = Enumerable.Range(0, 4000).Select(_ => new PointGoalDistribution().Sample(rng)).ToArray();
        Assert.All(train, g => Assert.Equal(1.0, Math.Sqrt(g.GoalX * g.GoalX + g.GoalY * g.GoalY), 9));
        Assert.All(train, g => Assert.True(g.GoalY >= 0));
        Assert.InRange(train.Average(g => g.GoalX), -0.03, 0.03);
        Assert.InRange(train.Average(g => g.GoalY), 2 / Math.PI - 0.02, 2 / Math.PI + 0.02); // E[sin θ], θ ~ U(0, π)
        var other = Enumerable.Range(0, 1000).Select(_ => new PointGoalDistribution(TaskSplit.Ood).Sample(rng)).ToArray();
        Assert.All(other, g => Assert.True(g.GoalY <= 0));
        var far = Enumerable.Range(0, 1000).Select(_ => new PointGoalDistribution(TaskSplit.Ood, PointGoalOod.FurtherOut).Sample(rng)).ToArray();
        Assert.All(far, g => Assert.Equal(1.5, Math.Sqrt(g.GoalX * g.GoalX + g.GoalY * g.GoalY), 9));
        Assert.All(far, g => Assert.True(g.GoalY >= 0));
    }

    [Fact]
    public void Hallway_sign_names_the_target_and_pays_nothing()
    {
        var env = new SignHallwayEnv(new HallwayTask(2)); // 3 hallways of length 4: W = 5, H = 6
        var (obs, _) = env.Reset();
        Assert.Equal(4 * 5 + 2, obs); // the start (2, 4)
        var r = env.Step(GridActions.Down);
        Assert.True(env.IsSignReading(r.Obs));
        Assert.Equal(5 * 6 + 2, r.Obs); // reads "hallway 2"
        Assert.Equal(0.0, r.Reward);
        env.SetTask(new HallwayTask(0));
        Assert.Equal(5 * 6 + 0, env.Step(GridActions.Stay).Obs);
        Assert.Equal(5 * 6 + 0, env.Step(GridActions.Left).Obs); // the sign is a niche: moving sideways stays on it
        Assert.Equal(4 * 5 + 2, env.Step(GridActions.Up).Obs); // back at the start
    }

    [Fact]
    public void Hallway_pays_one_and_terminates_at_the_target_end_only()
    {
        var env = new SignHallwayEnv(new HallwayTask(0));
        env.Reset();
        // hallway 1 (straight up from the start) is a dead end: nothing happens there
        StepResult<int> r = default;
        for (int i = 0; i < 4; i++) r = env.Step(GridActions.Up);
        Assert.Equal((2, 0), (env.X, env.Y));
        Assert.Equal(0.0, r.Reward);
        Assert.False(r.Done);
        Assert.Equal((2, 0), (env.X, env.Y));
        env.Step(GridActions.Left); // into the wall between hallways: stays
        Assert.Equal((2, 0), (env.X, env.Y));
        for (int i = 0; i < 4; i++) env.Step(GridActions.Down);
        env.Step(GridActions.Left);
        env.Step(GridActions.Left);
        for (int i = 0; i < 3; i++) Assert.False(env.Step(GridActions.Up).Done);
        r = env.Step(GridActions.Up);
        Assert.Equal(1.0, r.Reward);
        Assert.True(r.Terminated);
        Assert.False(r.Truncated);
    }

    [Fact]
    public void Hallway_is_truncated_at_its_horizon_and_ood_targets_the_outer_hallways()
    {
        var env = new SignHallwayEnv(new HallwayTask(1), horizon: 6);
        env.Reset();
        for (int t = 1; t <= 6; t++) Assert.Equal(t == 6, env.Step(GridActions.Stay).Truncated);
        Assert.Equal(34, new SignHallwayEnv(new HallwayTask(1)).Horizon);

        var rng = new Random(2);
        var train = Enumerable.Range(0, 3000).Select(_ => new HallwayDistribution().Sample(rng).Target).ToArray();
        for (int k = 0; k < 3; k++) Assert.InRange(train.Count(t => t == k), 900, 1100);
        var ood = Enumerable.Range(0, 1000).Select(_ => new HallwayDistribution(4, TaskSplit.Ood).Sample(rng).Target).ToArray();
        Assert.All(ood, t => Assert.True(t is 0 or 3));
        Assert.InRange(ood.Count(t => t == 0), 440, 560);
    }

    [Fact]
    public void Navigation_envs_pass_the_env_checker()
    {
        Assert.Empty(EnvChecker.Check<float[], float[]>(() => new SparsePointRobotEnv(new PointGoalTask(0.6, 0.8))).Issues);
        Assert.Empty(EnvChecker.Check<int, int>(() => new SignHallwayEnv(new HallwayTask(1))).Issues);
    }

    [Fact]
    public void Navigation_task_records_round_trip_through_json()
    {
        var goal = new PointGoalDistribution().Sample(new Random(3));
        Assert.Equal(goal, JsonSerializer.Deserialize<PointGoalTask>(JsonSerializer.Serialize(goal)));
        Assert.Equal(new HallwayTask(2), JsonSerializer.Deserialize<HallwayTask>(JsonSerializer.Serialize(new HallwayTask(2))));
    }

    [Fact]
    public void Point_navigation_pays_minus_the_distance_clips_velocities_and_ends_at_the_goal_or_after_100_steps()
    {
        var env = new PointNavigationEnv(new PointGoalTask(0.3, 0.0));
        env.Reset();
        var r = env.Step([0.5f, -0.05f]); // x clipped to 0.1
        Assert.Equal(0.1, env.X, 6);
        Assert.Equal(-0.05, env.Y, 6);
        Assert.Equal(-Math.Sqrt(0.2 * 0.2 + 0.05 * 0.05), r.Reward, 6);
        Assert.False(r.Done);
        env.Step([0.1f, 0.05f]);
        r = env.Step([0.1f, 0f]); // at (0.3, 0): within 0.01 of the goal
        Assert.True(r.Terminated);
        Assert.Throws<InvalidOperationException>(() => env.Step([0f, 0f]));

        env.Reset();
        int steps = 0;
        for (var s = env.Step([-0.1f, 0f]); !s.Done; s = env.Step([-0.1f, 0f])) steps++;
        Assert.Equal(PointNavigationEnv.DefaultHorizon - 1, steps);
        Assert.Throws<ArgumentException>(() => { env.Reset(); env.Step([float.NaN, 0f]); });
    }

    [Fact]
    public void Navigation_goals_lie_in_the_half_unit_square_and_the_ood_ring_outside_it()
    {
        var rng = new Random(1);
        var train = new SquareGoalDistribution(TaskSplit.Train);
        var ood = new SquareGoalDistribution(TaskSplit.Ood);
        for (int i = 0; i < 2000; i++)
        {
            var g = train.Sample(rng);
            Assert.True(Math.Abs(g.GoalX) <= 0.5 && Math.Abs(g.GoalY) <= 0.5, $"{g}");
            var o = ood.Sample(rng);
            double m = Math.Max(Math.Abs(o.GoalX), Math.Abs(o.GoalY));
            Assert.True(m > 0.5 && m <= 1, $"{o}");
        }
    }
}
