using System.Text.Json;
using MetaRL.Environments.Checking;
using MetaRL.Environments.Grid;
using MetaRL.Environments.Mazes;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tests;

public sealed class MazeTests
{
    private static readonly (int Dx, int Dy)[] Dirs = [(-1, 0), (1, 0), (0, -1), (0, 1)];

    /// <summary>Breadth-first distances from (0, 0) through open passages; −1 where unreachable.</summary>
    private static int[] Distances(MazeLayout maze)
    {
        int n = maze.Size;
        var dist = Enumerable.Repeat(-1, n * n).ToArray();
        var queue = new Queue<(int, int)>();
        dist[0] = 0;
        queue.Enqueue((0, 0));
        while (queue.Count > 0)
        {
            var (x, y) = queue.Dequeue();
            for (int d = 0; d < 4; d++)
            {
                if (!maze.IsOpen(x, y, d)) continue;
                var (nx, ny) = (x + Dirs[d].Dx, y + Dirs[d].Dy);
                if (dist[ny * n + nx] >= 0) continue;
                dist[ny * n + nx] = dist[y * n + x] + 1;
                queue.Enqueue((nx, ny));
            }
        }
        return dist;
    }

    [Theory]
    [InlineData(MazeGenerator.Backtracker)]
    [InlineData(MazeGenerator.Prim)]
    public void Generated_mazes_are_perfect_and_passages_are_symmetric(MazeGenerator generator)
    {
        for (int seed = 0; seed < 50; seed++)
        {
            var maze = MazeLayout.Generate(10, seed, generator);
            Assert.All(Distances(maze), d => Assert.True(d >= 0)); // every cell reachable
            int passages = 0;
            for (int y = 0; y < 10; y++)
                for (int x = 0; x < 10; x++)
                    for (int d = 0; d < 4; d++)
                    {
                        if (!maze.IsOpen(x, y, d)) continue;
                        passages++;
                        var (nx, ny) = (x + Dirs[d].Dx, y + Dirs[d].Dy);
                        Assert.InRange(nx, 0, 9);
                        Assert.InRange(ny, 0, 9);
                        Assert.True(maze.IsOpen(nx, ny, d ^ 1));
                    }
            Assert.Equal(2 * 99, passages); // a spanning tree of 100 cells has 99 edges, each seen from both ends
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_maze_and_generators_differ_in_dead_ends()
    {
        static string Walls(MazeLayout m) => string.Concat(Enumerable.Range(0, 400).Select(i => m.IsOpen(i / 4 % 10, i / 40, i % 4) ? '1' : '0'));
        Assert.Equal(Walls(MazeLayout.Generate(10, 7, MazeGenerator.Backtracker)), Walls(MazeLayout.Generate(10, 7, MazeGenerator.Backtracker)));
        Assert.NotEqual(Walls(MazeLayout.Generate(10, 7, MazeGenerator.Backtracker)), Walls(MazeLayout.Generate(10, 8, MazeGenerator.Backtracker)));

        double DeadEnds(MazeGenerator g) => Enumerable.Range(0, 100).Average(seed =>
        {
            var m = MazeLayout.Generate(10, seed, g);
            return Enumerable.Range(0, 100).Count(c => m.Degree(c % 10, c / 10) == 1) / 100.0;
        });
        double backtracker = DeadEnds(MazeGenerator.Backtracker), prim = DeadEnds(MazeGenerator.Prim);
        Assert.InRange(backtracker, 0.05, 0.2);
        Assert.InRange(prim, 0.25, 0.45);
    }

    [Fact]
    public void Walls_block_moves_and_the_exit_pays_one_and_terminates()
    {
        var task = new MazeTask(10, MazeSeed: 11, ExitX: 9, ExitY: 9);
        var env = new MazeEnv(task);
        var maze = env.Layout;
        var (obs, _) = env.Reset();
        Assert.Equal(0, obs);
        // a blocked move leaves the agent in place; an open one moves it
        for (int d = 0; d < 4; d++)
        {
            env.Reset();
            var r = env.Step(d);
            int expected = maze.IsOpen(0, 0, d) ? Dirs[d].Dy * 10 + Dirs[d].Dx : 0;
            Assert.Equal(expected, r.Obs);
        }
        // walk the shortest path to the exit, read off the BFS distances from the exit's side
        env.Reset();
        var fromExit = DistancesFrom(maze, 9, 9);
        int steps = 0;
        StepResult<int> last = default;
        while (!(env.X == 9 && env.Y == 9))
        {
            int best = Enumerable.Range(0, 4).Where(d => maze.IsOpen(env.X, env.Y, d))
                .MinBy(d => fromExit[(env.Y + Dirs[d].Dy) * 10 + env.X + Dirs[d].Dx]);
            last = env.Step(best);
            steps++;
            Assert.Equal(env.X == 9 && env.Y == 9 ? 1.0 : 0.0, last.Reward);
        }
        Assert.True(last.Terminated);
        Assert.False(last.Truncated);
        Assert.Equal(Distances(maze)[99], steps);
    }

    private static int[] DistancesFrom(MazeLayout maze, int ex, int ey)
    {
        // a perfect maze's passages are symmetric, so distances to the exit are distances from it
        var dist = Enumerable.Repeat(int.MaxValue, 100).ToArray();
        var queue = new Queue<(int, int)>();
        dist[ey * 10 + ex] = 0;
        queue.Enqueue((ex, ey));
        while (queue.Count > 0)
        {
            var (x, y) = queue.Dequeue();
            for (int d = 0; d < 4; d++)
            {
                if (!maze.IsOpen(x, y, d)) continue;
                int next = (y + Dirs[d].Dy) * 10 + x + Dirs[d].Dx;
                if (dist[next] != int.MaxValue) continue;
                dist[next] = dist[y * 10 + x] + 1;
                queue.Enqueue((next % 10, next / 10));
            }
        }
        return dist;
    }

    [Fact]
    public void Episodes_are_truncated_at_the_horizon()
    {
        var env = new MazeEnv(new MazeTask(10, 1, 5, 5), horizon: 30);
        env.Reset();
        for (int t = 1; t <= 30; t++)
        {
            var r = env.Step(GridActions.Stay);
            Assert.False(r.Terminated);
            Assert.Equal(t == 30, r.Truncated);
        }
        Assert.Equal(200, new MazeEnv(new MazeTask(10, 1, 5, 5)).Horizon);
        Assert.Throws<ArgumentException>(() => env.SetTask(new MazeTask(10, 1, 0, 0)));
    }

    [Fact]
    public void Train_and_test_mazes_are_disjoint_exits_uniform_and_ood_uses_prim()
    {
        var rng = new Random(4);
        var train = Enumerable.Range(0, 3000).Select(_ => new MazeDistribution(split: TaskSplit.Train).Sample(rng)).ToArray();
        var test = Enumerable.Range(0, 1000).Select(_ => new MazeDistribution(split: TaskSplit.Test).Sample(rng)).ToArray();
        Assert.All(train, t => Assert.False(MazeDistribution.IsTestSeed(t.MazeSeed)));
        Assert.All(test, t => Assert.True(MazeDistribution.IsTestSeed(t.MazeSeed)));
        Assert.All(train, t => Assert.Equal(MazeGenerator.Backtracker, t.Generator));
        Assert.All(train, t => Assert.False(t.ExitX == 0 && t.ExitY == 0));
        Assert.InRange(train.Average(t => t.ExitX), 4.3, 4.7); // uniform over 99 cells: E[x] = 450/99 ≈ 4.55
        // the hash puts about one seed in five into test
        Assert.InRange(Enumerable.Range(0, 10_000).Count(MazeDistribution.IsTestSeed), 1850, 2150);
        Assert.All(Enumerable.Range(0, 50).Select(_ => new MazeDistribution(split: TaskSplit.Ood).Sample(rng)), t => Assert.Equal(MazeGenerator.Prim, t.Generator));
    }

    [Fact]
    public void Maze_env_passes_the_checker_and_task_round_trips_through_json()
    {
        var task = new MazeDistribution(split: TaskSplit.Ood).Sample(new Random(5));
        Assert.Empty(EnvChecker.Check<int, int>(() => new MazeEnv(task)).Issues);
        var back = JsonSerializer.Deserialize<MazeTask>(JsonSerializer.Serialize(task));
        Assert.Equal(task, back);
    }
}
