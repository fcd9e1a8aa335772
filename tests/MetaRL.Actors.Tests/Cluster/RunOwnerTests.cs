using Akka.Actor;
using MetaRL.Actors.Cluster;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Population;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests.Cluster;

/// <summary>The seed's run owner: it wakes every agent once the learner is ready and its shard region exists, and ends the run when the learner fails.</summary>
public sealed class RunOwnerTests(ITestOutputHelper output) : ActorsTestKit(output)
{
    private sealed class Observer : IPopulationObserver
    {
        public List<LearnerStarted> Started { get; } = [];
        public List<PopulationProgress> Progress { get; } = [];
        public List<PopulationFailure> Failures { get; } = [];

        public void OnStarted(LearnerStarted started) => Started.Add(started);

        public void OnProgress(PopulationProgress progress) => Progress.Add(progress);

        public void OnFailed(PopulationFailure failure) => Failures.Add(failure);
    }

    [Fact]
    public void Agents_are_woken_once_when_the_learner_is_ready_even_if_the_shard_region_starts_later()
    {
        var observer = new Observer();
        var region = CreateTestProbe();
        int looks = 0;
        var owner = Sys.ActorOf(FactoryProps.Create(() => new RunOwner(observer, () => ActorRefs.Nobody,
            () => ++looks < 3 ? throw new ArgumentException("Shard type [agent] must be started first") : region.Ref, agents: 5)));
        owner.Tell(new LearnerStarted(0, RunCounters.Zero));
        var woken = Enumerable.Range(0, 5).Select(_ => region.ExpectMsg<WakeAgent>(TimeSpan.FromSeconds(5)).Index).ToArray();
        Assert.Equal([0, 1, 2, 3, 4], woken);
        Assert.Equal(3, looks); // it looked again until the region was there
        // A learner that starts again (it moved to another node) does not wake anyone twice, nor restart the monitor.
        owner.Tell(new LearnerStarted(7, RunCounters.Zero));
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Single(observer.Started);
    }

    [Fact]
    public void A_learner_that_fails_ends_the_run_with_its_reason()
    {
        var observer = new Observer();
        var owner = Sys.ActorOf(FactoryProps.Create(() => new RunOwner(observer, () => ActorRefs.Nobody, () => ActorRefs.Nobody, agents: 1)));
        Watch(owner);
        var row = new UpdateCompleted(1, 8, 0, 0, 3.5, 0, 0, 0, 0, false, null, 0, 0.1, []) { Counters = new RunCounters(100, 8, 0, 4, 2) };
        owner.Tell(row);
        owner.Tell(new LearnerFailed("akka.tcp://metarl@127.0.0.1:4054/user/learner/singleton", "JournalUnavailableException: the run's database is away"));
        ExpectTerminated(owner);
        Assert.Equal(100, Assert.Single(observer.Progress).EnvSteps);
        var failure = Assert.Single(observer.Failures);
        Assert.Contains("4054/user/learner", failure.ActorPath);
        Assert.Contains("database is away", failure.Error.Message);
    }
}
