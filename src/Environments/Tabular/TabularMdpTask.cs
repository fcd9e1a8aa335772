namespace MetaRL.Environments.Tabular;

/// <summary>
/// A finite MDP with <see cref="States"/> states and <see cref="Actions"/> actions, started in state 0.
/// <see cref="MeanRewards"/> is row-major [s, a]; <see cref="Transitions"/> is row-major [s, a, s'] and each
/// (s, a) row sums to 1. A step pays Normal(R[s,a], <see cref="RewardNoiseStd"/>). Treat the arrays as
/// read-only: tasks are shared between envs and baselines.
/// </summary>
public sealed record TabularMdpTask(int States, int Actions, double[] MeanRewards, double[] Transitions, double RewardNoiseStd = 1.0)
{
    public double MeanReward(int s, int a) => MeanRewards[s * Actions + a];

    public double TransitionProbability(int s, int a, int next) => Transitions[(s * Actions + a) * States + next];

    /// <summary>The distribution over next states from (s, a).</summary>
    public ReadOnlySpan<double> NextStateDistribution(int s, int a) => Transitions.AsSpan((s * Actions + a) * States, States);
}
