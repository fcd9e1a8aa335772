using MetaRL.Actors.Learning;

namespace MetaRL.Actors.Persistence;

/// <summary>Learner → journal: make this update's metrics row durable (an event). Answered by <see cref="UpdateRecorded"/>.</summary>
public sealed record RecordUpdate(UpdateCompleted Update) : INodeLocalMessage;

/// <summary>Learner → journal: save this checkpoint (a snapshot). Answered by <see cref="CheckpointSaved"/> or <see cref="CheckpointFailed"/>.</summary>
public sealed record SaveCheckpoint(LearnerSnapshot Snapshot) : INodeLocalMessage;

/// <summary>Journal → learner: the metrics row of update <paramref name="Version"/> is in the journal.</summary>
public sealed record UpdateRecorded(long Version) : INodeLocalMessage;

/// <summary>Journal → learner: the checkpoint of <paramref name="Version"/> is saved.</summary>
public sealed record CheckpointSaved(long Version) : INodeLocalMessage;

/// <summary>Journal → learner: the checkpoint of <paramref name="Version"/> could not be saved; the previous one is intact.</summary>
public sealed record CheckpointFailed(long Version, string Reason) : INodeLocalMessage;

/// <summary>
/// Journal → learner: the journal has recovered (at start, and again after every restart that followed a database
/// failure). <paramref name="Snapshot"/> is the newest checkpoint that could be read (null for a new run);
/// <paramref name="LastRecordedVersion"/> the last update with a metrics row, which may be past the checkpoint
/// (those updates are run again); <paramref name="Unreadable"/> the newer checkpoints skipped as corrupt.
/// </summary>
public sealed record JournalRecovered(LearnerSnapshot? Snapshot, long LastRecordedVersion, int Unreadable = 0) : INodeLocalMessage;

/// <summary>Journal → learner: the database refused a read or a write; the journal stops and is restarted with backoff.</summary>
public sealed record JournalFailed(string Reason) : INodeLocalMessage;
