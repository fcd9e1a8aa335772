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
/// parameters now in force (the same read-only array the batchers received), so they can be saved.
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
    float[] Parameters) : IWireMessage;
