using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Tabular;

/// <summary>
/// RL²'s random tabular MDPs (Duan et al. 2016): mean rewards R[s,a] ~ Normal(1, 1), transitions
/// P[s,a,·] ~ flat Dirichlet(1, …, 1), reward noise Normal(0, 1); |S| = 10 and |A| = 5 by default.
/// The <c>test</c> split is the same law (the family is continuous, so held-out tasks come from their own
/// seed stream, see <see cref="TaskSeeds"/>). The <c>ood</c> split draws transitions from the sparse
/// Dirichlet(0.1, …, 0.1): nearly deterministic dynamics, so a prior tuned to diffuse transitions
/// over-explores.
/// </summary>
public sealed class RandomMdpDistribution : ITaskDistribution<TabularMdpTask>
{
    public const int DefaultStates = 10;
    public const int DefaultActions = 5;

    /// <summary>The Dirichlet concentration of the ood split's transitions.</summary>
    public const double OodTransitionConcentration = 0.1;

    public RandomMdpDistribution(int states = DefaultStates, int actions = DefaultActions, TaskSplit split = TaskSplit.Train)
    {
        if (states < 1) throw new ArgumentOutOfRangeException(nameof(states), states, "a tabular MDP needs at least one state");
        if (actions < 1) throw new ArgumentOutOfRangeException(nameof(actions), actions, "a tabular MDP needs at least one action");
        States = states;
        Actions = actions;
        Split = split;
    }

    public int States { get; }
    public int Actions { get; }
    public TaskSplit Split { get; }

    /// <summary>Prior mean and standard deviation of R[s,a].</summary>
    public double RewardMean => 1.0;
    public double RewardStd => 1.0;

    /// <summary>The flat Dirichlet concentration the transitions of this split are drawn from.</summary>
    public double TransitionConcentration => Split == TaskSplit.Ood ? OodTransitionConcentration : 1.0;

    public TabularMdpTask Sample(Random rng)
    {
        var rewards = new double[States * Actions];
        for (int i = 0; i < rewards.Length; i++) rewards[i] = Sampling.Normal(rng, RewardMean, RewardStd);
        var transitions = new double[States * Actions * States];
        for (int sa = 0; sa < States * Actions; sa++)
            Sampling.Dirichlet(rng, TransitionConcentration, transitions.AsSpan(sa * States, States));
        return new TabularMdpTask(States, Actions, rewards, transitions, RewardNoiseStd: 1.0);
    }
}
