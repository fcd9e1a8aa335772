using MetaRL.Policies.Actions;
using MetaRL.Environments.Tasks;
using Akka.Actor;
using MetaRL.Actors.Agents;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Tasks;
using MetaRL.Actors.Tests.TestDoubles;
using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Wrappers;
using MetaRL.Policies;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests;

/// <summary>The messages between agents, tasks, batchers and the learner, checked with TestKit probes.</summary>
public sealed class MessageFlowTests(ITestOutputHelper output) : ActorsTestKit(output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private IActorRef StartBanditAgent(int index, int pulls, IActorRef batcher, IActorRef learner)
    {
        var tasks = new UniformBanditDistribution(3);
        var env = new BernoulliBanditEnv(tasks.Sample(new Random(1)));
        var rl2 = new Rl2Input<int, int>(env.ObservationSpace, env.ActionSpace);
        var taskProps = Props.Create(() => new TaskActor<int, int, BanditTask>(new BernoulliBanditEnv(tasks.Sample(new Random(2))), tasks, 5, pulls, false));
        var agent = Sys.ActorOf(Props.Create(() => new AgentActor<int, int>(index, taskProps, rl2, ActionCodec.For(env.ActionSpace), 4, batcher, learner, new AgentStatistics(), true)), $"agent-{index}");
        agent.Tell(StartAgent.Instance, ActorRefs.Nobody);
        return agent;
    }

    [Fact]
    public void An_agent_asks_the_batcher_acts_through_its_task_and_sends_the_finished_trial_to_the_learner()
    {
        var batcher = CreateTestProbe("batcher");
        var learner = CreateTestProbe("learner");
        var agent = StartBanditAgent(7, 3, batcher.Ref, learner.Ref);

        var first = batcher.ExpectMsg<ActRequest>(r => r.AgentIndex == 7 && r.TrialIndex == 0, Wait);
        Assert.Equal([1f, 1, 0, 0, 0, 1], first.Input); // onehot(obs 0 of 1), onehot(action 0), reward 0, done 1: the start of a trial
        Assert.Equal(agent.Path, batcher.LastSender.Path);
        for (int step = 0; step < 3; step++)
        {
            if (step > 0)
            {
                var r = batcher.ExpectMsg<ActRequest>(Wait);
                Assert.Same(first.Memory, r.Memory); // the agent lends the same memory array every step: no allocation
                Assert.Equal(1f, r.Input[1 + 2]);     // onehot(previous action = 2) after the one observation slot
            }
            batcher.Reply(new ActReply(2, -1.1f, 0.5f, 4));
        }
        var trial = learner.ExpectMsg<TrialCompleted>(Wait).Trajectory;
        Assert.Equal((7, 0, 3), (trial.AgentIndex, trial.TrialIndex, trial.Steps));
        Assert.Equal([2, 2, 2], trial.Actions);
        Assert.Equal([-1.1f, -1.1f, -1.1f], trial.LogProbs);
        Assert.Equal((4L, 4L), (trial.OldestPolicyVersion, trial.NewestPolicyVersion));
        Assert.All(trial.Rewards, r => Assert.True(r is 0 or 1));
        // The task actor reports each pull's mean beside its sampled reward: arm 2's mean under the task of trial 0,
        // which it drew from the stream of (its seed 5, trial 0), whatever its first env was built with.
        float arm2 = (float)new UniformBanditDistribution(3).Sample(new Random(TaskSeeds.Mix(5, 0))).Means[2];
        Assert.Equal([arm2, arm2, arm2], trial.MeanRewards!);
        // The next trial starts at once, with a fresh task: "previous" fields reset.
        var next = batcher.ExpectMsg<ActRequest>(r => r.TrialIndex == 1, Wait);
        Assert.Equal([1f, 1, 0, 0, 0, 1], next.Input);
        learner.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void The_learner_updates_after_a_round_broadcasts_the_next_version_to_every_batcher_and_reports()
    {
        var batchers = new[] { CreateTestProbe("b0"), CreateTestProbe("b1") };
        var report = CreateTestProbe("population");
        var trainer = new RecordingTrainer();
        var learner = Sys.ActorOf(Props.Create(() => new Learner(() => trainer, new LearnerSettings(BatchingMode.Lockstep, 3, 0, 10, 1),
            batchers.Select(b => b.Ref).ToArray(), report.Ref)), "learner");
        // It starts by sending its trainer's parameters as version 0, which batchers wait for, and tells its parent.
        foreach (var b in batchers) b.ExpectMsg<ParametersUpdated>(p => p.Version == 0 && p.Parameters.SequenceEqual([0f]), Wait);
        report.ExpectMsg<LearnerStarted>(m => m.Version == 0, Wait);
        learner.Tell(new TrialCompleted(Trials.OneStep(2, 0, 0, 1)), ActorRefs.Nobody);
        learner.Tell(new TrialCompleted(Trials.OneStep(0, 0, 0, 3)), ActorRefs.Nobody);
        foreach (var b in batchers) b.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        learner.Tell(new TrialAbandoned(1, 0), ActorRefs.Nobody); // an env fault still closes the round

        foreach (var b in batchers) b.ExpectMsg<ParametersUpdated>(p => p.Version == 1 && p.Parameters.SequenceEqual([1f]), Wait);
        var done = report.ExpectMsg<UpdateCompleted>(Wait);
        Assert.Equal((1L, 2, 1, 0, 2.0, false), (done.Version, done.Trials, done.Abandoned, done.DroppedStale, done.MeanScore, done.Skipped));
        Assert.Equal([0, 2], trainer.Batches.Single().Select(t => t.AgentIndex)); // sorted by agent, not arrival
    }

    [Fact]
    public void An_async_learner_drops_trials_older_than_the_allowed_policy_lag_and_counts_them()
    {
        var batcher = CreateTestProbe("batcher");
        var report = CreateTestProbe("population");
        var trainer = new RecordingTrainer();
        var learner = Sys.ActorOf(Props.Create(() => new Learner(() => trainer, new LearnerSettings(BatchingMode.Async, 1, 1, 10, 1),
            new[] { batcher.Ref }, report.Ref)), "learner");
        report.ExpectMsg<LearnerStarted>(Wait);
        learner.Tell(new TrialCompleted(Trials.OneStep(0, 0, 0, 1)), ActorRefs.Nobody);
        Assert.Equal(1, report.ExpectMsg<UpdateCompleted>(Wait).Version);
        learner.Tell(new TrialCompleted(Trials.OneStep(1, 0, 0, 1)), ActorRefs.Nobody); // lag 1: allowed
        Assert.Equal(2, report.ExpectMsg<UpdateCompleted>(Wait).Version);
        learner.Tell(new TrialCompleted(Trials.OneStep(2, 0, 0, 1)), ActorRefs.Nobody); // lag 2: dropped
        report.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        learner.Tell(new TrialCompleted(Trials.OneStep(3, 0, 1, 1)), ActorRefs.Nobody); // lag 1: allowed
        var u = report.ExpectMsg<UpdateCompleted>(Wait);
        Assert.Equal((3L, 1, 1, 1.0), (u.Version, u.Trials, u.DroppedStale, u.MeanPolicyLag));
    }

    [Fact]
    public void A_lockstep_batcher_answers_only_when_every_agent_has_asked_and_the_round_s_version_has_arrived()
    {
        var policy = new CountingPolicy(2, 2, action: 1);
        var batcher = Sys.ActorOf(Props.Create(() => new InferenceBatcher(() => policy,
            new BatcherSettings(BatchingMode.Lockstep, 2, 2, TimeSpan.Zero, 1, 0, 0, 1), new InferenceStatistics())), "batcher");
        var a0 = CreateTestProbe("a0");
        var a1 = CreateTestProbe("a1");
        a1.Send(batcher, new ActRequest(1, 1, [0f, 1], new float[2]));
        a1.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        a0.Send(batcher, new ActRequest(0, 0, [0f, 1], new float[2]));
        // The round is full, but no parameters have arrived yet: nothing runs on a policy's own initial weights.
        a0.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        batcher.Tell(new ParametersUpdated(0, []));
        // Agent 0's trial 0 may run with version 0; agent 1's trial 1 waits for version 1.
        Assert.Equal(new ActReply(1, 0f, 0f, 0), a0.ExpectMsg<ActReply>(Wait));
        a1.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        a0.Send(batcher, new ActRequest(0, 1, [0f, 1], new float[2]));
        a1.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        batcher.Tell(new ParametersUpdated(1, []));
        Assert.Equal(1, a0.ExpectMsg<ActReply>(Wait).PolicyVersion);
        Assert.Equal(1, a1.ExpectMsg<ActReply>(Wait).PolicyVersion);
    }
}
