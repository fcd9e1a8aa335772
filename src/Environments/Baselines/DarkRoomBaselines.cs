using MetaRL.Environments.Grid;
using MetaRL.Environments.Policies;
using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// The Dark Room's suite: random actions (the floor), tabular Q-learning from scratch in two forms (the learner that
/// knows nothing of the task family), and the oracle that is told the goal (the ceiling). Episodes are truncated, not
/// terminated, so Q-learning bootstraps across an episode's end, as a learner that ignores time limits does.
/// </summary>
public static class DarkRoomBaselines
{
    /// <summary>Q-learning's discount and step size: a goal 8 steps away is still worth 0.43 of its reward.</summary>
    public const double Gamma = 0.9, Alpha = 0.5;

    public static IReadOnlyList<BaselineSpec<int, int>> Create(int size)
    {
        int states = size * size, actions = GridActions.Count;
        return
        [
            new("Random", "uniform over the 5 actions", () => new RandomActions<int, int>(new Discrete(actions))),
            new("Q-learning", $"ε-greedy ε 0.1, Q₀ 0, α {Alpha}, γ {Gamma}",
                () => new TabularQLearning("Q-learning", states, actions, Alpha, Gamma, epsilon: 0.1, initialValue: 0)),
            new("Q-learning (optimistic)", $"greedy, Q₀ = 1/(1−γ) = {1 / (1 - Gamma):0}, α {Alpha}, γ {Gamma}",
                () => new TabularQLearning("Q-learning (optimistic)", states, actions, Alpha, Gamma, epsilon: 0, initialValue: 1 / (1 - Gamma))),
            new("Oracle", "told the goal: straight there, then stays", () => new DarkRoomOracle(size)),
        ];
    }
}
