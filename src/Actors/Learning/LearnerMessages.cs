using Akka.Actor;
using MetaRL.Policies;

namespace MetaRL.Actors.Learning;

/// <summary>Agent → learner: a trial ended.</summary>
public sealed record TrialCompleted(Trajectory Trajectory) : IWireMessage;

/// <summary>
/// Agent → learner: the trial <paramref name="TrialIndex"/> was lost to an env fault. It counts toward the
/// update's quota without being trained on, so that a lockstep round still closes when an env throws.
/// </summary>
public sealed record TrialAbandoned(int AgentIndex, int TrialIndex) : IWireMessage;

/// <summary>Anyone → learner: send the parameters now in force to <paramref name="To"/> (a batcher that restarted).</summary>
public sealed record SendParameters(IActorRef To) : IWireMessage;

/// <summary>
/// Learner → population: the outcome of one update (or of one skipped because it was not finite), with the
/// parameters now in force (the same read-only array the batchers received), so they can be saved, and the run's
/// <see cref="Counters"/> at that moment. It is also the metrics row the learner journals (then without its
/// parameters, which only checkpoints hold).
/// </summary>
public sealed record UpdateCompleted(
    long Version,
    int Trials,
    int Abandoned,
    int DroppedStale,
    double MeanScore,
    double PolicyLoss,
    double ValueLoss,
    double Entropy,
    double ApproxKl,
    bool Skipped,
    string? SkipReason,
    double MeanPolicyLag,
    double Seconds,
    float[] Parameters) : IWireMessage
{
    /// <summary>The run's counters when the update completed (across resumes).</summary>
    public RunCounters Counters { get; init; } = RunCounters.Zero;

    /// <summary>With groups of agents, each group's mean score in this update, in the groups' order (NaN: no trial of it); else empty.</summary>
    public double[] GroupScores { get; init; } = Array.Empty<double>(); // one shared empty array: rows without groups compare equal

    /// <summary>In a clustered run, the cluster's shape and the update's gradient and all-reduce times; else null.</summary>
    public Cluster.ClusterShape? Cluster { get; init; }

    /// <summary>The version's held-out score when the run evaluates during training and this update was scored; else null.</summary>
    public HeldOutScore? Eval { get; init; }
}

/// <summary>
/// Learner → population, once, when it is ready: the version it starts from (0 for a new run, the checkpoint's for
/// a resumed one) and the run's counters then. Agents start only after it, at the trial the version calls for.
/// </summary>
public sealed record LearnerStarted(long Version, RunCounters Counters) : IWireMessage;

/// <summary>
/// Anyone → learner: make no more updates, save a checkpoint of the version in force (unless one is saved already) and reply
/// <see cref="CheckpointDone"/> once it and every metrics row are durable. Sent before a clean stop.
/// </summary>
public sealed record FlushCheckpoint : IWireMessage
{
    public static readonly FlushCheckpoint Instance = new();
}

/// <summary>
/// Learner → the asker of <see cref="FlushCheckpoint"/>: the checkpoint of <paramref name="Version"/>, whose
/// parameters are <paramref name="Parameters"/>, is saved (or, with <paramref name="Error"/>, could not be).
/// </summary>
public sealed record CheckpointDone(long Version, float[] Parameters, string? Error = null) : IWireMessage;
