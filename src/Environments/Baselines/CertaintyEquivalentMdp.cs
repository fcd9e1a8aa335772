namespace MetaRL.Environments.Baselines;

/// <summary>
/// Greedy (certainty-equivalent) control: at the start of each episode, value iteration on the
/// posterior-mean MDP of an <see cref="MdpPrior"/>, then act greedily on it; with ε &gt; 0, a uniformly random
/// action with probability ε on each step (ε-Greedy). It never plans to explore, so what it learns depends
/// on where the prior's mean sends it: with <see cref="MdpPrior.Empirical"/> an unvisited action looks like
/// a reward of 0, below the family's average of 1, and is rarely tried.
/// </summary>
public sealed class CertaintyEquivalentMdp : BayesMdpPolicy
{
    public CertaintyEquivalentMdp(int states, int actions, int horizon, MdpPrior prior, double epsilon = 0)
        : base(states, actions, horizon, prior)
    {
        if (!(epsilon >= 0 && epsilon <= 1)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be in [0, 1]");
        ExplorationEpsilon = epsilon;
    }

    public double Epsilon => ExplorationEpsilon;

    public override string Name => Epsilon > 0 ? "ε-Greedy" : "Greedy";

    protected override void Plan()
    {
        ComputePosteriorMean();
        Solve(MeanRewards, MeanTransitions);
    }
}
