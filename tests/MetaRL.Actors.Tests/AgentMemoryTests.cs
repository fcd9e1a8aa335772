using MetaRL.Policies.Actions;
using Akka.Actor;
using MetaRL.Actors.Agents;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Tasks;
using MetaRL.Actors.Tests.TestDoubles;
using MetaRL.Environments;
using MetaRL.Environments.Tabular;
using MetaRL.Environments.Wrappers;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests;

/// <summary>An agent's episodic memory lives as long as its task: across episodes of a trial, not across trials.</summary>
public sealed class AgentMemoryTests(ITestOutputHelper output) : ActorsTestKit(output)
{
    private const int Horizon = 3;
    private const int Episodes = 2;

    [Fact]
    public void Memory_survives_episode_boundaries_and_resets_when_a_new_trial_draws_a_new_task()
    {
        var learner = CreateTestProbe("learner");
        var tasks = new RandomMdpDistribution(4, 2);
        var env = new TabularMdpEnv(tasks.Sample(new Random(1)), Horizon);
        var rl2 = new Rl2Input<int, int>(env.ObservationSpace, env.ActionSpace);
        var policy = new CountingPolicy(rl2.Size, 2, action: 1);
        var batcher = Sys.ActorOf(Props.Create(() => new InferenceBatcher(() => policy,
            new BatcherSettings(BatchingMode.Async, 1, 1, TimeSpan.FromMilliseconds(1), 1, 0, 0, 1), new InferenceStatistics())), "batcher");
        batcher.Tell(new ParametersUpdated(0, []));
        var taskProps = Props.Create(() => new TaskActor<int, int, TabularMdpTask>(new TabularMdpEnv(tasks.Sample(new Random(2)), Horizon), tasks, 3, Episodes, false));
        var agent = Sys.ActorOf(Props.Create(() => new AgentActor<int, int>(0, taskProps, rl2, ActionCodec.For(env.ActionSpace), policy.MemorySize, batcher, learner.Ref, new AgentStatistics(), false)), "agent-0");
        agent.Tell(StartAgent.Instance, ActorRefs.Nobody);

        for (int trial = 0; trial < 2; trial++)
        {
            var t = learner.ExpectMsg<TrialCompleted>(TimeSpan.FromSeconds(10)).Trajectory;
            Assert.Equal(trial, t.TrialIndex);
            Assert.Equal(Horizon * Episodes, t.Steps);
            // The counter the policy saw at each step: it runs on over the episode boundary (step 3) and
            // starts again at 0 only in the next trial.
            Assert.Equal(Enumerable.Range(0, Horizon * Episodes).Select(i => (float)i), t.Values);
            Assert.Equal([false, false, true, false, false, true], t.EpisodeEnds);
            Assert.Null(t.MeanRewards); // the env knows them, but nobody asked this agent to keep them
            // The RL² input at the first step of episode 2 says "previous step ended an episode", with its action and reward.
            var row = t.Inputs.AsSpan(Horizon * t.InputSize, t.InputSize);
            Assert.Equal(1f, row[^1]);
            Assert.Equal(t.Rewards[Horizon - 1], row[^2]);
            Assert.Equal(1f, row[4 + 1]); // onehot(previous action = 1) after the 4 observation slots
        }
    }
}
