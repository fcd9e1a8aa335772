using MetaRL.Environments.Policies;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// What every Bernoulli-bandit baseline keeps: per-arm pull and success counts, the trial's random
/// stream and the pull count <c>t</c>. A pull is a one-step episode (see <see cref="Bandits.BernoulliBanditEnv"/>),
/// so the observation carries nothing and all learning happens in <see cref="Observe"/>. The counts
/// persist across those one-step episodes and are cleared only by <see cref="BeginTrial"/>.
/// </summary>
public abstract class BanditPolicy : IPolicy<int, int>
{
    protected BanditPolicy(int arms)
    {
        if (arms < 1) throw new ArgumentOutOfRangeException(nameof(arms), arms, "a bandit needs at least one arm");
        Arms = arms;
        Pulls = new int[arms];
        Successes = new int[arms];
        Scores = new double[arms];
        Rng = new Random(0);
    }

    public abstract string Name { get; }

    public int Arms { get; }

    /// <summary>Pulls of each arm so far in this trial.</summary>
    protected int[] Pulls { get; }

    /// <summary>Pulls of each arm that paid 1.</summary>
    protected int[] Successes { get; }

    /// <summary>Scratch space for per-arm scores, so that <see cref="Act"/> allocates nothing.</summary>
    protected double[] Scores { get; }

    /// <summary>Total pulls so far in this trial.</summary>
    protected int Time { get; private set; }

    protected Random Rng { get; private set; }

    public virtual void BeginTrial(Random rng)
    {
        Rng = rng;
        Array.Clear(Pulls);
        Array.Clear(Successes);
        Time = 0;
    }

    public abstract int Act(int obs);

    public virtual void Observe(int obs, int action, double reward, int nextObs, bool terminated, bool truncated)
    {
        Pulls[action]++;
        if (reward > 0.5) Successes[action]++;
        Time++;
    }

    /// <summary>
    /// The UCB index with the Beta(1, 1) pseudo-counts (our UCB1 and its tracking variants): mean (s + 1)/(n + 2) plus
    /// c·sqrt(2 ln t / (n + 2)), from success and pull counts that may be windowed or discounted.
    /// </summary>
    protected static double UcbIndex(double successes, double pulls, double logT, double c) =>
        (successes + 1.0) / (pulls + 2.0) + c * Math.Sqrt(2 * logT / (pulls + 2.0));

    /// <summary>Posterior mean of arm <paramref name="a"/> under the Beta(1, 1) prior: (s + 1) / (n + 2).</summary>
    protected double PosteriorMean(int a) => (Successes[a] + 1.0) / (Pulls[a] + 2.0);

    /// <summary>The arm with the largest <see cref="Scores"/>, ties broken at random.</summary>
    protected int ArgMaxScore() => Sampling.ArgMaxRandomTies(Rng, Scores);

    /// <summary>
    /// The arm with the largest <see cref="Scores"/>, ties going to the lowest-numbered arm (what numpy's
    /// <c>argmax</c> does, which the RL² paper's greedy baselines relied on; see <see cref="GreedyBandit"/>).
    /// </summary>
    protected int ArgMaxScoreFirst()
    {
        int best = 0;
        for (int a = 1; a < Arms; a++)
            if (Scores[a] > Scores[best]) best = a;
        return best;
    }
}
