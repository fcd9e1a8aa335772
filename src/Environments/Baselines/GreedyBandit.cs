namespace MetaRL.Environments.Baselines;

/// <summary>
/// Pulls the arm with the largest posterior mean (s + 1) / (n + 2) under a Beta(1, 1) prior.
/// <para>
/// The prior matters: an unpulled arm scores 1/2, so after a failure (1/3) Greedy moves on to a fresh arm
/// and after a success (2/3) it stays, which is why it is strong on short trials (empirical means would
/// force a first pull of every arm). Ties go to the lowest-numbered arm, and that matters too: an arm with
/// as many successes as failures scores exactly 1/2, like an unpulled arm, and keeping it instead of
/// opening a new one explores fewer arms. The RL² paper's Greedy row (77.1 at k = 10, n = 100) is
/// reproduced only with this tie rule; random tie-breaking scores about 79.3 there.
/// </para>
/// </summary>
public sealed class GreedyBandit(int arms) : BanditPolicy(arms)
{
    public override string Name => "Greedy";

    public override int Act(int obs)
    {
        for (int a = 0; a < Arms; a++) Scores[a] = PosteriorMean(a);
        return ArgMaxScoreFirst();
    }
}
