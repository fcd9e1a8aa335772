using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using MetaRL.Actors.Learning;

namespace MetaRL.Actors.Persistence;

/// <summary>
/// The durable record of a learner (docs/architecture.md §4): a persistent actor whose events are the metrics row
/// of every update and whose snapshots are the learner's checkpoints, in the Akka.Persistence journal and snapshot
/// store the actor system is configured with (SQLite or PostgreSQL through Akka.Persistence.Sql). It sits
/// under a backoff supervisor: when the database refuses a write or a read, Akka stops it, the supervisor starts
/// it again after a pause, it recovers, and tells the learner (<see cref="JournalRecovered"/>), which sends again
/// whatever was not confirmed. So a database that is away for a while costs waiting, never a lost row.
/// </summary>
/// <remarks>
/// Recovery takes the newest checkpoint that reads back whole: one that fails its checksum
/// (<see cref="CorruptSnapshot"/>) is named in a warning and the one before it is loaded instead. The two newest
/// checkpoints are kept; older ones are deleted once a newer one is saved.
/// </remarks>
public sealed class RunJournal : ReceivePersistentActor
{
    /// <summary>Checkpoints kept (the newest, and the one a corrupted newest falls back to).</summary>
    public const int KeptCheckpoints = 2;

    private readonly IActorRef _learner;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<(long SequenceNr, long Version)> _saving = [];
    private readonly List<long> _savedCheckpoints = [];
    private LearnerSnapshot? _recovered;
    private long _lastRecordedVersion;

    /// <summary>Set when the newest checkpoint was corrupt: load the newest one below this sequence number after recovery.</summary>
    private long? _fallBackBelow;

    /// <summary>Checkpoints skipped as corrupt in this recovery.</summary>
    private int _unreadable;

    public RunJournal(string persistenceId, IActorRef learner)
    {
        PersistenceId = persistenceId;
        _learner = learner;

        Recover<SnapshotOffer>(offer => OnSnapshot(offer.Metadata, offer.Snapshot));
        Recover<UpdateCompleted>(u => _lastRecordedVersion = Math.Max(_lastRecordedVersion, u.Version));
        Recover<RecoveryCompleted>(_ =>
        {
            if (_recovered is null && _fallBackBelow is { } below) LoadOlder(below);
            else Report();
        });

        Command<LoadSnapshotResult>(r =>
        {
            if (r.Snapshot is { } s) OnSnapshot(s.Metadata, s.Snapshot);
            else _fallBackBelow = null; // nothing older
            if (_recovered is null && _fallBackBelow is { } below) LoadOlder(below);
            else Report();
        });
        Command<LoadSnapshotFailed>(f =>
        {
            _learner.Tell(new JournalFailed($"reading an older checkpoint failed: {f.Cause.Message}"));
            Context.Stop(Self);
        });
        Command<RecordUpdate>(r => Persist(r.Update with { Parameters = [] }, u =>
        {
            _lastRecordedVersion = Math.Max(_lastRecordedVersion, u.Version);
            _learner.Tell(new UpdateRecorded(u.Version));
        }));
        Command<SaveCheckpoint>(c =>
        {
            _saving.Add((LastSequenceNr, c.Snapshot.Version));
            SaveSnapshot(c.Snapshot);
        });
        Command<SaveSnapshotSuccess>(s =>
        {
            long version = TakeSaving(s.Metadata.SequenceNr);
            _learner.Tell(new CheckpointSaved(version));
            _savedCheckpoints.Add(s.Metadata.SequenceNr);
            if (_savedCheckpoints.Count > KeptCheckpoints)
            {
                long keepFrom = _savedCheckpoints[^KeptCheckpoints];
                DeleteSnapshots(new SnapshotSelectionCriteria(keepFrom - 1));
                _savedCheckpoints.RemoveRange(0, _savedCheckpoints.Count - KeptCheckpoints);
            }
        });
        Command<SaveSnapshotFailure>(f =>
        {
            long version = TakeSaving(f.Metadata.SequenceNr);
            _learner.Tell(new CheckpointFailed(version, $"{f.Cause.GetType().Name}: {f.Cause.Message}"));
        });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("old checkpoints could not be deleted: {0}", f.Cause.Message));
    }

    public override string PersistenceId { get; }

    private void OnSnapshot(SnapshotMetadata metadata, object snapshot)
    {
        switch (snapshot)
        {
            case LearnerSnapshot s:
                _recovered = s;
                _fallBackBelow = null;
                _savedCheckpoints.Add(metadata.SequenceNr);
                break;
            case CorruptSnapshot c:
                _log.Warning("the checkpoint at journal entry {0} (saved {1:u}) cannot be read: {2}; falling back to the one before it",
                    metadata.SequenceNr, metadata.Timestamp, c.Reason);
                _fallBackBelow = metadata.SequenceNr;
                _unreadable++;
                break;
            default:
                throw new InvalidOperationException($"the snapshot store holds a {snapshot.GetType().Name}, not a learner checkpoint");
        }
    }

    private void LoadOlder(long below) =>
        SnapshotStore.Tell(new LoadSnapshot(PersistenceId, new SnapshotSelectionCriteria(below - 1), long.MaxValue));

    private void Report() => _learner.Tell(new JournalRecovered(_recovered, _lastRecordedVersion, _unreadable));

    private long TakeSaving(long sequenceNr)
    {
        int i = _saving.FindIndex(s => s.SequenceNr == sequenceNr);
        if (i < 0) return -1;
        long version = _saving[i].Version;
        _saving.RemoveAt(i);
        return version;
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _learner.Tell(new JournalFailed($"recovery failed: {reason.GetType().Name}: {reason.Message}"));
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _learner.Tell(new JournalFailed($"writing update {(@event as UpdateCompleted)?.Version} failed: {cause.GetType().Name}: {cause.Message}"));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _learner.Tell(new JournalFailed($"the journal rejected update {(@event as UpdateCompleted)?.Version}: {cause.GetType().Name}: {cause.Message}"));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }
}
