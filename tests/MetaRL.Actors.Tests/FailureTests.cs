using Akka.Actor;
using Akka.TestKit;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Population;
using MetaRL.Actors.Tests.TestDoubles;
using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests;

/// <summary>
/// What a population does when one of its parts fails: it recovers where a restart is safe (a batcher) and says
/// so in the log, or it stops and reports one failure naming the error and the actor, well within 30 s. It
/// never leaves a run waiting.
/// </summary>
public sealed class FailureTests(ITestOutputHelper output) : ActorsTestKit(output)
{
    private const int Arms = 2;
    private const int Pulls = 5;
    private const int InputSize = 1 + Arms + 2;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>A fast population: the counting policy and a recording trainer, so that only the actors are under test.</summary>
    private (IActorRef Population, TestProbe Reports) Start(Func<IPolicyTrainer> trainer, Func<IInContextPolicy>? policy = null,
        IPopulationObserver? observer = null, BatchingMode mode = BatchingMode.Lockstep, int agents = 8)
    {
        var reports = CreateTestProbe();
        var spec = new PopulationSpec<int, int, BanditTask>(EnvCatalog.Get<int, int, BanditTask>("bernoulli-bandit"),
            new EnvOptions(Arms: Arms, Split: TaskSplit.Train), Pulls,
            new PopulationOptions { Agents = agents, Batchers = 2, Mode = mode, MaxWaitMs = 1 },
            policy ?? (() => new CountingPolicy(InputSize, Arms)), 2, trainer, 100, 1);
        var population = Sys.ActorOf(Props.Create(() => new Population<int, int, BanditTask>(spec, observer ?? new ProbeObserver(reports.Ref))), "population");
        Watch(population);
        return (population, reports);
    }

    [Fact]
    public void A_trainer_that_throws_at_update_2_ends_the_run_with_that_error_and_the_learner_s_path()
    {
        var (population, reports) = Start(() => new ThrowingTrainer(failingUpdate: 2));
        Assert.Equal(1, reports.ExpectMsg<PopulationProgress>(Deadline).Update.Version);
        var failure = reports.ExpectMsg<PopulationFailure>(Deadline);
        Assert.Contains("simulated trainer failure at update 2", failure.ToString());
        Assert.EndsWith("/user/population/learner", failure.ActorPath);
        ExpectTerminated(population, Deadline);
        reports.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // reported once, nothing after
    }

    [Fact]
    public void An_observer_whose_write_fails_ends_the_run_with_its_error()
    {
        var reports = CreateTestProbe();
        var (population, _) = Start(() => new RecordingTrainer(), observer: new FailingObserver(reports.Ref, failingUpdate: 2));
        Assert.Equal(1, reports.ExpectMsg<PopulationProgress>(Deadline).Update.Version);
        var failure = reports.ExpectMsg<PopulationFailure>(Deadline);
        Assert.IsType<IOException>(failure.Error);
        Assert.Contains("progress observer", failure.ActorPath);
        ExpectTerminated(population, Deadline);
    }

    [Fact]
    public async Task A_batcher_killed_while_it_holds_its_agents_requests_is_restarted_and_no_agent_is_left_waiting()
    {
        // Update 2 is held, so the agents' first requests of trial 2, which need version 2, wait in the batchers.
        var trainer = new GatedTrainer(gatedUpdate: 2);
        var (_, reports) = Start(() => trainer, agents: 16);
        reports.ExpectMsg<PopulationProgress>(Deadline);
        var batcher = Sys.ActorSelection("/user/population/batcher-0");
        await AwaitAssertAsync(async () => Assert.Equal(8, (await batcher.Ask<BatcherStatus>(GetBatcherStatus.Instance, Deadline)).PendingRequests), Deadline);

        EventFilter.Warning(contains: "batcher-0 restarted").ExpectOne(Deadline, () => batcher.Tell(Kill.Instance));
        trainer.Release();

        // The restarted batcher reloads version 2 and its agents ask again: the rounds go on with every agent in them.
        var later = Enumerable.Range(0, 3).Select(_ => reports.ExpectMsg<PopulationProgress>(Deadline)).ToArray();
        Assert.Equal([2L, 3, 4], later.Select(p => p.Update.Version));
        Assert.All(later, p => Assert.Equal((16, 0), (p.Update.Trials, p.Update.Abandoned)));
        Assert.True((await batcher.Ask<BatcherStatus>(GetBatcherStatus.Instance, Deadline)).PolicyVersion >= 3);
    }

    [Fact]
    public void An_async_population_goes_on_after_a_batcher_is_killed()
    {
        var (_, reports) = Start(() => new RecordingTrainer(), mode: BatchingMode.Async, agents: 16);
        reports.ExpectMsg<PopulationProgress>(Deadline);
        EventFilter.Warning(contains: "batcher-1 restarted").ExpectOne(Deadline, () => Sys.ActorSelection("/user/population/batcher-1").Tell(Kill.Instance));
        Assert.Equal([2L, 3, 4], Enumerable.Range(0, 3).Select(_ => reports.ExpectMsg<PopulationProgress>(Deadline).Update.Version));
    }

    [Fact]
    public async Task A_batcher_restarted_while_the_learner_is_busy_acts_at_once_with_the_newest_parameters_reported()
    {
        // Async: update 2 is held, so the learner is busy and cannot answer a restarted batcher's request for parameters.
        var trainer = new GatedTrainer(gatedUpdate: 2);
        var (_, reports) = Start(() => trainer, mode: BatchingMode.Async, agents: 16);
        Assert.Equal(1, reports.ExpectMsg<PopulationProgress>(Deadline).Update.Version);
        var batcher = Sys.ActorSelection("/user/population/batcher-1");
        EventFilter.Warning(contains: "batcher-1 restarted").ExpectOne(Deadline, () => batcher.Tell(Kill.Instance));
        // The population hands it version 1 (the newest reported): its agents act on while update 2 is still running.
        await AwaitAssertAsync(async () => Assert.Equal(1, (await batcher.Ask<BatcherStatus>(GetBatcherStatus.Instance, Deadline)).PolicyVersion),
            TimeSpan.FromSeconds(5));
        trainer.Release();
        Assert.Equal([2L, 3], Enumerable.Range(0, 2).Select(_ => reports.ExpectMsg<PopulationProgress>(Deadline).Update.Version));
    }

    [Fact]
    public void A_batcher_that_fails_on_every_forward_pass_fails_the_run_after_its_restarts()
    {
        var (population, reports) = Start(() => new RecordingTrainer(), policy: () => new ThrowingPolicy(InputSize, Arms));
        var failure = reports.ExpectMsg<PopulationFailure>(Deadline);
        Assert.Contains("simulated forward-pass failure", failure.ToString());
        Assert.Matches("/user/population/batcher-[01]$", failure.ActorPath);
        ExpectTerminated(population, Deadline);
    }

    /// <summary>Forwards to a probe, and throws as a failed CSV write would on its <paramref name="failingUpdate"/>-th report.</summary>
    private sealed class FailingObserver(IActorRef probe, int failingUpdate) : IPopulationObserver
    {
        public void OnProgress(PopulationProgress progress)
        {
            if (progress.Update.Version == failingUpdate) throw new IOException("No space left on device : 'metrics.csv'");
            probe.Tell(progress);
        }

        public void OnFailed(PopulationFailure failure) => probe.Tell(failure);
    }
}
