using MetaRL.Environments.Bandits;
using MetaRL.Environments.Grid;
using MetaRL.Environments.Vector;

namespace MetaRL.Environments.Tests;

public sealed class VectorEnvTests
{
    [Fact]
    public void Truncated_episodes_autoreset_in_the_same_step_and_expose_the_final_observation()
    {
        // env 0 walks right onto its goal and stays; env 1 stays at the centre
        var vec = new VectorEnv<int, int>([DarkRoomEnv.Create(new DarkRoomTask(5, 4)), DarkRoomEnv.Create(new DarkRoomTask(0, 0))]);
        var obs = vec.Reset();
        Assert.Equal([40, 40], obs.ToArray());
        int[] actions = [GridActions.Right, GridActions.Stay];
        for (int t = 1; t <= 20; t++)
        {
            vec.Step(actions);
            actions[0] = GridActions.Stay;
            bool last = t == 20;
            Assert.Equal(last, vec.Truncated[0]);
            Assert.Equal(last, vec.Truncated[1]);
            Assert.False(vec.Terminated[0]);
            Assert.Equal(1.0, vec.Rewards[0]);
            Assert.Equal(0.0, vec.Rewards[1]);
            if (!last)
            {
                Assert.Equal([41, 40], vec.Observations.ToArray());
                Assert.Equal(0, vec.EpisodeLengths[0]);
            }
        }
        Assert.Equal([41, 40], vec.FinalObservations.ToArray()); // where the episodes ended
        Assert.Equal([40, 40], vec.Observations.ToArray()); // already reset to the start
        Assert.Equal([20.0, 0.0], vec.EpisodeReturns.ToArray());
        Assert.Equal([20, 20], vec.EpisodeLengths.ToArray());
        vec.Step([GridActions.Left, GridActions.Left]); // the new episode runs normally
        Assert.Equal([39, 39], vec.Observations.ToArray());
        Assert.False(vec.Done(0));
        Assert.Equal(0, vec.EpisodeLengths[0]);
    }

    [Fact]
    public void Terminated_episodes_report_termination_final_obs_and_return()
    {
        var vec = new VectorEnv<int, int>([new DarkKeyToDoorEnv(new KeyDoorTask(5, 4, 6, 4))]);
        vec.Reset();
        vec.Step([GridActions.Right]); // key
        Assert.Equal(1.0, vec.Rewards[0]);
        vec.Step([GridActions.Right]); // door
        Assert.True(vec.Terminated[0]);
        Assert.False(vec.Truncated[0]);
        Assert.Equal(4 * 9 + 6, vec.FinalObservations[0]);
        Assert.Equal(40, vec.Observations[0]);
        Assert.Equal(2.0, vec.EpisodeReturns[0]);
        Assert.Equal(2, vec.EpisodeLengths[0]);
    }

    [Fact]
    public void A_seed_replays_the_whole_vector_and_gives_each_env_its_own_stream()
    {
        double[][] Run(int seed)
        {
            var vec = VectorEnv<int, int>.Create(3, _ => new BernoulliBanditEnv(new BanditTask([0.5, 0.5])));
            vec.Reset(seed);
            var rewards = Enumerable.Range(0, 3).Select(_ => new double[200]).ToArray();
            int[] actions = [0, 1, 0];
            for (int t = 0; t < 200; t++)
            {
                vec.Step(actions);
                for (int i = 0; i < 3; i++) rewards[i][t] = vec.Rewards[i];
                Assert.True(vec.Terminated[0]); // every pull is an episode: autoreset every step
            }
            return rewards;
        }
        var a = Run(5);
        Assert.Equal(a, Run(5));
        Assert.NotEqual(a[0], a[2]); // same arm, different streams
        Assert.NotEqual(a[0], Run(6)[0]);
    }

    [Fact]
    public void Stepping_grid_and_bandit_envs_allocates_nothing()
    {
        var vec = VectorEnv<int, int>.Create(64, i => DarkRoomEnv.Create(new DarkRoomTask(i % 9, i / 9 % 9)));
        var bandits = VectorEnv<int, int>.Create(64, _ => new BernoulliBanditEnv(new BanditTask([0.3, 0.7])));
        vec.Reset(1);
        bandits.Reset(1);
        var actions = new int[64];
        void Run(int steps)
        {
            for (int t = 0; t < steps; t++)
            {
                for (int i = 0; i < actions.Length; i++) actions[i] = (t + i) % 5;
                vec.Step(actions);
                for (int i = 0; i < actions.Length; i++) actions[i] = (t + i) % 2;
                bandits.Step(actions);
            }
        }
        Run(200); // warm up the JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(1000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"128 000 env steps allocated {allocated} bytes");
    }

    [Fact]
    public void Misuse_is_rejected_with_clear_errors()
    {
        var vec = VectorEnv<int, int>.Create(2, _ => new BernoulliBanditEnv(new BanditTask([0.5, 0.5])));
        Assert.Throws<InvalidOperationException>(() => vec.Step([0, 0]));
        vec.Reset();
        var e = Assert.Throws<ArgumentException>(() => vec.Step([0]));
        Assert.StartsWith("expected 2 actions, one per env, got 1", e.Message);
        Assert.Throws<ArgumentException>(() => new VectorEnv<int, int>([new BernoulliBanditEnv(new BanditTask([0.5, 0.5])), new BernoulliBanditEnv(new BanditTask([0.5, 0.5, 0.5]))]));
        Assert.Throws<ArgumentException>(() => new VectorEnv<int, int>([]));
    }
}
