using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Snapshot;
using MetaRL.Actors.Persistence;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>
/// An in-memory snapshot store that refuses every checkpoint of version <c>refuse-from</c> and later, as a full
/// disk would; the checkpoints before stay. Its HOCON: <see cref="Hocon"/>.
/// </summary>
internal sealed class RefusingSnapshotStore(Config config) : SnapshotStore
{
    public static string Hocon(long refuseFrom) => $$"""
        akka.persistence.snapshot-store.plugin = "refusing-snapshot-store"
        refusing-snapshot-store {
          class = "{{typeof(RefusingSnapshotStore).AssemblyQualifiedName}}"
          refuse-from = {{refuseFrom}}
        }
        """;

    private readonly long _refuseFrom = config.GetLong("refuse-from");
    private readonly List<SelectedSnapshot> _saved = [];

    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        lock (_saved)
            return Task.FromResult(_saved.Where(s => s.Metadata.PersistenceId == persistenceId && Matches(criteria, s.Metadata))
                .OrderByDescending(s => s.Metadata.SequenceNr).FirstOrDefault());
    }

    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        if (snapshot is LearnerSnapshot s && s.Version >= _refuseFrom)
            throw new IOException("No space left on device (simulated)");
        lock (_saved) _saved.Add(new SelectedSnapshot(metadata, snapshot));
        return Task.CompletedTask;
    }

    protected override Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        lock (_saved) _saved.RemoveAll(s => s.Metadata.PersistenceId == metadata.PersistenceId && s.Metadata.SequenceNr == metadata.SequenceNr);
        return Task.CompletedTask;
    }

    private static bool Matches(SnapshotSelectionCriteria c, SnapshotMetadata m) =>
        m.SequenceNr <= c.MaxSequenceNr && m.Timestamp <= c.MaxTimeStamp && m.SequenceNr >= c.MinSequenceNr && m.Timestamp >= c.MinTimestamp;

    protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        lock (_saved) _saved.RemoveAll(s => s.Metadata.PersistenceId == persistenceId && Matches(criteria, s.Metadata));
        return Task.CompletedTask;
    }
}
