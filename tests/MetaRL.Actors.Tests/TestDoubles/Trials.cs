using MetaRL.Policies;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>Trials for learner tests: one step, one reward, played with one policy version.</summary>
internal static class Trials
{
    /// <summary>Agent <paramref name="agent"/>'s trial <paramref name="trial"/>, played with <paramref name="version"/> (default: the trial's index, as in lockstep with one round an update).</summary>
    public static Trajectory OneStep(int agent, int trial, long? version = null, float reward = 1f) =>
        new(agent, trial, 1, 1, [0f], [0], [0f], [0f], [reward], [true], version ?? trial, version ?? trial);
}
