using MetaRL.Environments.Baselines;
using MetaRL.Environments.Grid;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class DarkRoomBaselineTests
{
    private static double[] Returns(BaselineSpec<int, int> spec, DarkRoomTask goal, int episodes, int seed = 1) =>
        TrialRunner.Run(DarkRoomEnv.Create(goal), spec.Create(), goal, episodes, new Random(seed)).EpisodeReturns;

    private static BaselineSpec<int, int> Named(string name) => DarkRoomBaselines.Create(DarkRoomEnv.DefaultSize).Single(b => b.Name == name);

    [Theory]
    [InlineData(4, 4, 20)] // the goal is the start: every step pays
    [InlineData(6, 4, 19)] // 2 steps away: the second step arrives and pays, then 18 more
    [InlineData(0, 0, 13)] // 8 steps away
    [InlineData(8, 0, 13)]
    public void The_oracle_walks_straight_to_the_goal_and_stays(int x, int y, double perEpisode)
    {
        Assert.All(Returns(Named("Oracle"), new DarkRoomTask(x, y), 3), r => Assert.Equal(perEpisode, r));
    }

    [Fact]
    public void Optimistic_q_learning_learns_within_the_trial_and_beats_random_actions()
    {
        var tasks = new DarkRoomDistribution(split: TaskSplit.Test);
        double first = 0, last = 0, total = 0, random = 0;
        for (int i = 0; i < 100; i++)
        {
            var goal = tasks.Sample(new Random(i));
            var returns = Returns(Named("Q-learning (optimistic)"), goal, 10, i);
            first += returns[0];
            last += returns[^1];
            total += returns.Sum();
            random += Returns(Named("Random"), goal, 10, i).Sum();
        }
        string Report() => $"episode 1 {first / 100:0.00}, episode 10 {last / 100:0.00}, trial {total / 100:0.00}, random {random / 100:0.00}";
        Assert.True(last > 2 * first, Report());
        Assert.True(total > 3 * random, Report());
    }

    [Fact]
    public void Q_learning_forgets_everything_at_a_new_trial()
    {
        var policy = Named("Q-learning (optimistic)").Create();
        var goal = new DarkRoomTask(1, 7);
        var env = DarkRoomEnv.Create(goal);
        var fresh = TrialRunner.Run(env, policy, goal, 3, new Random(5)).EpisodeReturns;
        var again = TrialRunner.Run(env, policy, goal, 3, new Random(5)).EpisodeReturns; // same policy object, same stream
        Assert.Equal(fresh, again);
    }

    [Fact]
    public void A_test_fraction_of_0_holds_out_no_cell()
    {
        var train = new DarkRoomDistribution(testFraction: 0);
        var test = new DarkRoomDistribution(split: TaskSplit.Test, testFraction: 0);
        Assert.Equal(81, train.Goals.Count);
        Assert.Equal(train.Goals, test.Goals);
        Assert.Equal(16, new DarkRoomDistribution(split: TaskSplit.Test).Goals.Count);
    }

    [Fact]
    public void The_catalog_refuses_a_test_fraction_outside_0_to_1()
    {
        var family = (EnvFamily<int, int, DarkRoomTask>)EnvCatalog.Get("dark-room");
        var e = Assert.Throws<ArgumentException>(() => family.CreateDistribution(new EnvOptions(Extra: new Dictionary<string, double> { ["testFraction"] = 1 })));
        Assert.Contains("env.options.testFraction = 1", e.Message);
    }
}
