namespace MetaRL.Environments;

/// <summary>
/// An env that knows the expected reward of an action from where it stands now: E[r | state, action] under
/// its task. A learner may train on this mean instead of the sampled reward (PPO's <c>rewardSignal: Mean</c>).
/// The expected return is the same, so the policy gradient stays unbiased, but the reward's own noise (a
/// Bernoulli arm's coin, a tabular MDP's Gaussian) leaves the learning signal; the agent still observes, and
/// is scored on, the sampled reward. Privileged information used only in training, as with a privileged critic.
/// </summary>
public interface IMeanReward<in TAction>
{
    /// <summary>The mean of the reward that <c>Step(action)</c> would pay from the current state.</summary>
    double MeanReward(TAction action);
}
