namespace MetaRL.Environments.Baselines;

/// <summary>
/// Thompson sampling (Thompson 1933; Chapelle and Li 2011) with a Beta(1, 1) prior: draw each arm's mean
/// from its posterior Beta(s + 1, f + 1) and pull the arm with the largest draw.
/// </summary>
public sealed class ThompsonBandit(int arms) : BanditPolicy(arms)
{
    public override string Name => "TS";

    public override int Act(int obs)
    {
        for (int a = 0; a < Arms; a++)
            Scores[a] = Sampling.Beta(Rng, Successes[a] + 1.0, Pulls[a] - Successes[a] + 1.0);
        return ArgMaxScore();
    }
}
