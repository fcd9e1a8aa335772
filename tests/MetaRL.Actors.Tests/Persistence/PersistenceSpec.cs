using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Persistence;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests.Persistence;

/// <summary>
/// The facts of Akka's persistence TCK (JournalSpec, SnapshotStoreSpec) that a run's durability rests on, asked of
/// the journal and snapshot store through Akka's own plugin protocol, with what the learner really persists
/// (metrics rows, checkpoints) through our serializer. One suite, run against each database (the subclasses).
/// </summary>
public abstract class PersistenceSpec(Config persistence, ITestOutputHelper output)
    : TestKit(persistence.WithFallback(MetaRlAkka.Config), "metarl-persistence", output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly string _id = $"spec-{Guid.NewGuid():N}";

    private IActorRef Journal => Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);

    private IActorRef Snapshots => Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);

    private static UpdateCompleted Row(long version) =>
        new(version, 8, 0, 0, version * 0.5, 0.1, 0.2, 0.3, 0.4, false, null, 0, 0.01, []) { Counters = new RunCounters(version * 10, version, 0, 8, version) };

    private void WriteRows(int count)
    {
        var probe = CreateTestProbe();
        var writes = Enumerable.Range(1, count)
            .Select(i => (IPersistentEnvelope)new AtomicWrite(new Persistent(Row(i), i, _id, writerGuid: "spec", sender: probe.Ref)))
            .ToArray();
        Journal.Tell(new WriteMessages(writes, probe.Ref, 1));
        probe.ExpectMsg<WriteMessagesSuccessful>(Wait);
        for (int i = 1; i <= count; i++) probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.SequenceNr == i, Wait);
    }

    private (long[] Versions, long Highest) Replay(long from, long to, long max)
    {
        var probe = CreateTestProbe();
        Journal.Tell(new ReplayMessages(from, to, max, _id, probe.Ref));
        var versions = new List<long>();
        while (true)
        {
            var m = probe.ReceiveOne(Wait);
            if (m is ReplayedMessage r)
            {
                var row = Assert.IsType<UpdateCompleted>(r.Persistent.Payload);
                Assert.Equal(r.Persistent.SequenceNr, row.Version);
                Assert.Equal(Row(row.Version) with { Parameters = NoParameters }, row with { Parameters = NoParameters }); // field for field
                versions.Add(row.Version);
            }
            else return (versions.ToArray(), Assert.IsType<RecoverySuccess>(m).HighestSequenceNr);
        }
    }

    private static void Replayed(long[] versions, long highest, (long[] Versions, long Highest) replay)
    {
        Assert.Equal(versions, replay.Versions);
        Assert.Equal(highest, replay.Highest);
    }

    /// <summary>One empty array, so that record equality (which compares arrays by reference) compares every other field.</summary>
    private static readonly float[] NoParameters = [];

    [Fact]
    public void The_journal_replays_every_row_in_order_and_within_bounds_and_limits()
    {
        WriteRows(5);
        Replayed([1, 2, 3, 4, 5], 5, Replay(1, long.MaxValue, long.MaxValue));
        Assert.Equal([2L, 3, 4], Replay(2, 4, long.MaxValue).Versions);
        Assert.Equal([1L, 2], Replay(1, long.MaxValue, 2).Versions);
        Assert.Equal([3L], Replay(3, 3, long.MaxValue).Versions);
        Replayed([], 5, Replay(3, long.MaxValue, 0)); // no row asked for: none replayed, the highest still known
    }

    [Fact]
    public void The_journal_keeps_the_highest_sequence_number_after_its_rows_are_deleted()
    {
        WriteRows(5);
        var probe = CreateTestProbe();
        Journal.Tell(new DeleteMessagesTo(_id, 3, probe.Ref));
        probe.ExpectMsg<DeleteMessagesSuccess>(Wait);
        Replayed([4, 5], 5, Replay(1, long.MaxValue, long.MaxValue));
        Journal.Tell(new DeleteMessagesTo(_id, 5, probe.Ref));
        probe.ExpectMsg<DeleteMessagesSuccess>(Wait);
        // A new incarnation must go on from 6, never write a second row 5.
        Replayed([], 5, Replay(1, long.MaxValue, long.MaxValue));
    }

    private static LearnerSnapshot Checkpoint(long version, int bytes = 64)
    {
        var state = new byte[bytes];
        new Random((int)version).NextBytes(state);
        return new LearnerSnapshot(version, 1, new RunCounters(version * 10, version, 2, 8, version * 0.5), state);
    }

    private void Save(long sequenceNr, LearnerSnapshot snapshot)
    {
        var probe = CreateTestProbe();
        Snapshots.Tell(new SaveSnapshot(new SnapshotMetadata(_id, sequenceNr, DateTime.UtcNow), snapshot), probe.Ref);
        probe.ExpectMsg<SaveSnapshotSuccess>(Wait);
    }

    private LearnerSnapshot? Load(SnapshotSelectionCriteria criteria, long to = long.MaxValue)
    {
        var probe = CreateTestProbe();
        Snapshots.Tell(new LoadSnapshot(_id, criteria, to), probe.Ref);
        var result = probe.ExpectMsg<LoadSnapshotResult>(Wait);
        return (LearnerSnapshot?)result.Snapshot?.Snapshot;
    }

    private static void Same(LearnerSnapshot expected, LearnerSnapshot? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.Version, expected.SkippedUpdates, expected.Counters), (actual.Version, actual.SkippedUpdates, actual.Counters));
        Assert.True(expected.TrainerState.AsSpan().SequenceEqual(actual.TrainerState), "the trainer's state came back changed");
    }

    [Fact]
    public void The_snapshot_store_gives_the_newest_checkpoint_within_bounds_and_deletes_by_criteria()
    {
        for (int i = 1; i <= 5; i++) Save(i * 10, Checkpoint(i));
        Same(Checkpoint(5), Load(SnapshotSelectionCriteria.Latest));
        Same(Checkpoint(3), Load(new SnapshotSelectionCriteria(35)));
        Same(Checkpoint(2), Load(SnapshotSelectionCriteria.Latest, to: 29));
        Assert.Null(Load(new SnapshotSelectionCriteria(9)));

        var probe = CreateTestProbe();
        Snapshots.Tell(new DeleteSnapshots(_id, new SnapshotSelectionCriteria(30)), probe.Ref);
        probe.ExpectMsg<DeleteSnapshotsSuccess>(Wait);
        Assert.Null(Load(new SnapshotSelectionCriteria(30)));
        Same(Checkpoint(4), Load(new SnapshotSelectionCriteria(45)));
        Same(Checkpoint(5), Load(SnapshotSelectionCriteria.Latest));
    }

    [Fact]
    public void A_large_checkpoint_comes_back_bit_for_bit()
    {
        var big = Checkpoint(7, bytes: 24 << 20); // a GRU-1024 learner's parameters and Adam moments are about this size
        Save(70, big);
        Same(big, Load(SnapshotSelectionCriteria.Latest));
    }

    [Fact]
    public void A_metrics_row_keeps_its_group_scores_and_a_row_without_groups_reads_back_without()
    {
        var grouped = Row(3) with { GroupScores = [1.5, double.NaN, 7.25] };
        var serializer = (LearnerSerializer)Sys.Serialization.FindSerializerFor(grouped);
        var back = (UpdateCompleted)serializer.FromBinary(serializer.ToBinary(grouped), serializer.Manifest(grouped));
        Assert.Equal(grouped.GroupScores, back.GroupScores);
        Assert.Equal(grouped with { GroupScores = back.GroupScores, Parameters = back.Parameters }, back);
        var plain = (UpdateCompleted)serializer.FromBinary(serializer.ToBinary(Row(3)), serializer.Manifest(Row(3)));
        Assert.Empty(plain.GroupScores);
        // A row written before groups existed ends at its counters: it is the same bytes as a row without groups.
        Assert.Equal(serializer.ToBinary(Row(3) with { GroupScores = [] }), serializer.ToBinary(Row(3)));
    }

    [Fact]
    public void A_metrics_row_keeps_its_held_out_score_beside_its_group_scores()
    {
        var scored = Row(4) with { GroupScores = [2.5, 3.5], Eval = new HeldOutScore(71.25, 0.31, 0.42) };
        var serializer = (LearnerSerializer)Sys.Serialization.FindSerializerFor(scored);
        var back = (UpdateCompleted)serializer.FromBinary(serializer.ToBinary(scored), serializer.Manifest(scored));
        Assert.Equal(new HeldOutScore(71.25, 0.31, 0.42), back.Eval);
        Assert.Equal(scored.GroupScores, back.GroupScores);
        Assert.Null(((UpdateCompleted)serializer.FromBinary(serializer.ToBinary(Row(4)), serializer.Manifest(Row(4)))).Eval);
    }

    [Fact]
    public void A_checkpoint_damaged_in_the_database_reads_back_as_corrupt_never_as_other_weights()
    {
        var serializer = (LearnerSerializer)Sys.Serialization.FindSerializerFor(Checkpoint(1));
        var bytes = serializer.ToBinary(Checkpoint(1));
        Same(Checkpoint(1), serializer.FromBinary(bytes, serializer.Manifest(Checkpoint(1))) as LearnerSnapshot);
        bytes[bytes.Length / 2] ^= 0x04;
        var read = serializer.FromBinary(bytes, serializer.Manifest(Checkpoint(1)));
        Assert.Equal("its checksum does not match its contents", Assert.IsType<CorruptSnapshot>(read).Reason);
        Assert.IsType<CorruptSnapshot>(serializer.FromBinary(bytes[..10], serializer.Manifest(Checkpoint(1))));
    }
}

/// <summary>The suite on SQLite, the embedded default (a file of its own, in WAL mode).</summary>
public sealed class SqlitePersistenceTests(ITestOutputHelper output)
    : PersistenceSpec(MetaRlPersistence.Sqlite(Path.Combine(Directory.CreateTempSubdirectory("metarl-sqlite-").FullName, "run.db")), output);

/// <summary>
/// The suite on PostgreSQL: the throwaway cluster the README's test command starts (scripts/postgres.sh), named by
/// <c>METARL_TEST_POSTGRES</c>. Without it these tests fail and say so: they are part of the suite, not optional.
/// </summary>
[Collection(PostgresForTests.Collection)]
public sealed class PostgreSqlPersistenceTests(ITestOutputHelper output)
    : PersistenceSpec(MetaRlPersistence.PostgreSql(PostgresForTests.ConnectionString), output);
