using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Persistence;
using MetaRL.Actors.Tests.TestDoubles;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests.Persistence;

/// <summary>A checkpoint the store refuses is tried again, then fails the learner with one message; the checkpoint before it stays.</summary>
public sealed class CheckpointFailureTests(ITestOutputHelper output)
    : TestKit(ConfigurationFactory.ParseString(RefusingSnapshotStore.Hocon(refuseFrom: 2)).WithFallback(MetaRlAkka.Config), "metarl-refused", output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_refused_checkpoint_is_retried_then_fails_the_learner_and_leaves_the_previous_checkpoint()
    {
        const string id = "refused";
        var batcher = CreateTestProbe("batcher");
        var report = CreateTestProbe("population");
        var settings = new LearnerSettings(BatchingMode.Lockstep, 1, 0, 10, 1,
            new LearnerPersistence(id, CheckpointEvery: 1, CheckpointRetryDelay: TimeSpan.FromMilliseconds(20)));
        var learner = Sys.ActorOf(Props.Create(() => new Learner(() => new RecordingTrainer(), settings, new[] { batcher.Ref }, report.Ref, null)), "learner");
        report.ExpectMsg<LearnerStarted>(Wait);
        learner.Tell(new TrialCompleted(Trials.OneStep(0, 0)), ActorRefs.Nobody);
        Assert.Equal(1, report.ExpectMsg<UpdateCompleted>(Wait).Version);
        var flushed = await learner.Ask<CheckpointDone>(FlushCheckpoint.Instance, Wait); // answered once checkpoint 1 is durable
        Assert.Equal((1L, (string?)null), (flushed.Version, flushed.Error));

        // A later incarnation (the first one stopped, as a process would) makes update 2, whose checkpoint is refused
        // at every try: after the last one the learner fails, naming the update the run can resume from.
        Watch(learner);
        Sys.Stop(learner);
        ExpectTerminated(learner, Wait);
        var fresh = Sys.ActorOf(Props.Create(() => new Learner(() => new RecordingTrainer(), settings, new[] { batcher.Ref }, report.Ref, null)), "learner-2");
        report.ExpectMsg<LearnerStarted>(m => m.Version == 1, Wait); // the new incarnation starts from checkpoint 1
        EventFilter.Exception<JournalUnavailableException>(
                contains: "the checkpoint of update 2 could not be saved (IOException: No space left on device (simulated)); the run can resume from update 1")
            .ExpectOne(Wait, () =>
                // The warnings' filter is in place before the update that draws them is sent: the first try fails
                // within milliseconds, and a filter installed after the send could miss it (it did, under load).
                EventFilter.Warning(contains: "could not be saved").Expect(Learner.CheckpointAttempts - 1, Wait,
                    () => fresh.Tell(new TrialCompleted(Trials.OneStep(0, 1)), ActorRefs.Nobody)));

        var store = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        var newest = await store.Ask<LoadSnapshotResult>(new LoadSnapshot(id, SnapshotSelectionCriteria.Latest, long.MaxValue), Wait);
        Assert.Equal(1, Assert.IsType<LearnerSnapshot>(newest.Snapshot?.Snapshot).Version);
    }
}
