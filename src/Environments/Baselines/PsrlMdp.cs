namespace MetaRL.Environments.Baselines;

/// <summary>
/// Posterior sampling for RL (Strens 2000; Osband, Russo and Van Roy 2013): at the start of each episode draw
/// one MDP from the posterior (Dirichlet transitions, Normal mean rewards, see <see cref="MdpPrior"/>), solve it
/// by finite-horizon value iteration over the episode, and follow its optimal policy for the episode. With a
/// <see cref="MdpPolicy.Window"/> it is sliding-window PSRL (SW-PSRL): the posterior sees only the latest transitions.
/// </summary>
public sealed class PsrlMdp(int states, int actions, int horizon, MdpPrior prior) : BayesMdpPolicy(states, actions, horizon, prior)
{
    public override string Name => Window is null ? "PSRL" : "SW-PSRL";

    protected override void Plan()
    {
        SamplePosterior();
        Solve(SampledRewards, SampledTransitions);
    }
}
