using MetaRL.Actors.Learning;

namespace MetaRL.Actors.Persistence;

/// <summary>
/// A learner's checkpoint: everything a run needs to continue exactly as if it had never stopped. The policy
/// version fixes the learning-rate and entropy schedules' progress and, with the run's seed, every random stream
/// a later trial or update draws from (docs/architecture.md §4), so no generator state is kept.
/// </summary>
/// <param name="Version">The policy version (updates applied).</param>
/// <param name="SkippedUpdates">Updates skipped so far (not finite, or, in a cluster, abandoned when a node was lost).</param>
/// <param name="Counters">The run's counters at this version.</param>
/// <param name="TrainerState">The trainer's own state (<see cref="MetaRL.Policies.IPolicyTrainer.SaveState"/>): parameters, optimizer moments and step counts.</param>
public sealed record LearnerSnapshot(long Version, int SkippedUpdates, RunCounters Counters, byte[] TrainerState);
