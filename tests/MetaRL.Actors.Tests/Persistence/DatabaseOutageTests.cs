using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Tests.TestDoubles;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests.Persistence;

/// <summary>
/// A learner journaling to PostgreSQL while the server is stopped for 10 s and started again: training waits for
/// the database (it makes at most <see cref="Learner.MaxUnconfirmed"/> updates ahead of it), then goes on, and the
/// journal ends with every update exactly once.
/// </summary>
[Collection(PostgresForTests.Collection)]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
    : TestKit(MetaRlPersistence.PostgreSql(PostgresForTests.ConnectionString).WithFallback(MetaRlAkka.Config), "metarl-outage", output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Training_waits_out_a_database_stopped_for_ten_seconds_and_loses_no_update()
    {
        string id = $"outage-{Guid.NewGuid():N}";
        var batcher = CreateTestProbe("batcher");
        var report = CreateTestProbe("population");
        var trainer = new RecordingTrainer();
        var settings = new LearnerSettings(BatchingMode.Lockstep, 2, 0, 9, 1, new LearnerPersistence(id, CheckpointEvery: 3));
        var learner = Sys.ActorOf(Props.Create(() => new Learner(() => trainer, settings, new[] { batcher.Ref }, report.Ref, null)), "learner");
        report.ExpectMsg<LearnerStarted>(m => m.Version == 0, Wait);
        // Two agents in lockstep: each round's trials are sent once the batcher has the round's parameters.
        var reported = new List<long>();
        int rounds = 0;
        bool Step(TimeSpan wait)
        {
            if (batcher.ReceiveOne(wait) is not ParametersUpdated p) return false;
            learner.Tell(new TrialCompleted(Trials.OneStep(0, (int)p.Version)), ActorRefs.Nobody);
            learner.Tell(new TrialCompleted(Trials.OneStep(1, (int)p.Version)), ActorRefs.Nobody);
            rounds++;
            return true;
        }
        while (rounds < 4) Assert.True(Step(Wait));
        while (report.HasMessages || reported.Count < 3) reported.Add(report.ExpectMsg<UpdateCompleted>(Wait).Version);

        PostgresForTests.Control("stop");
        int before = rounds;
        try
        {
            // While the database is away the learner gets at most MaxUnconfirmed updates ahead of it (plus the round
            // whose parameters were on their way when it stopped); left alone it would run all the rounds in a second.
            var down = System.Diagnostics.Stopwatch.StartNew();
            while (down.Elapsed < TimeSpan.FromSeconds(10)) Step(TimeSpan.FromMilliseconds(200));
        }
        finally
        {
            PostgresForTests.Control("start"); // whatever happened, the other tests need the server
        }
        Assert.InRange(rounds - before, 0, Learner.MaxUnconfirmed + 1);

        while (rounds < 9) Assert.True(Step(Wait), $"training did not go on after the database came back (rounds {rounds})");
        while (reported.Count < 9) reported.Add(report.ExpectMsg<UpdateCompleted>(Wait).Version);
        Assert.Equal(Enumerable.Range(1, 9).Select(v => (long)v), reported); // every update reported once, in order
        var done = await learner.Ask<CheckpointDone>(FlushCheckpoint.Instance, Wait);
        Assert.Equal((9L, (string?)null), (done.Version, done.Error));
        Assert.Equal([9f], done.Parameters);
        lock (trainer.Batches) Assert.Equal(9, trainer.Batches.Count); // no update applied twice

        // The journal holds every update, none missing (a row resent after the outage may repeat one: the last wins).
        var journal = Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);
        var probe = CreateTestProbe();
        journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, id, probe.Ref));
        var versions = new SortedSet<long>();
        for (object m = probe.ReceiveOne(Wait); m is ReplayedMessage r; m = probe.ReceiveOne(Wait))
            versions.Add(((UpdateCompleted)r.Persistent.Payload).Version);
        Assert.Equal(Enumerable.Range(1, 9).Select(v => (long)v), versions);
    }
}
