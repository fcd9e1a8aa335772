namespace MetaRL.Environments.Baselines;

/// <summary>
/// Sliding-window UCB (Garivier and Moulines 2011): UCB1 on the last <see cref="Window"/> pulls only, so that
/// what an arm paid before a change is forgotten after τ pulls. Index <c>mean_τ + c·sqrt(2 ln min(t, τ) / n_τ)</c>
/// with the Beta(1, 1) pseudo-counts of our <see cref="Ucb1Bandit"/> (mean (s_τ + 1)/(n_τ + 2), count n_τ + 2),
/// so an arm that left the window is re-explored from its prior rather than forced first.
/// </summary>
public sealed class SlidingWindowUcbBandit : BanditPolicy
{
    private readonly int[] _arms;
    private readonly bool[] _paid;
    private readonly int[] _windowPulls;
    private readonly int[] _windowSuccesses;

    public SlidingWindowUcbBandit(int arms, int window, double c = BanditBaselines.Ucb1C) : base(arms)
    {
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "the window must hold at least one pull");
        if (!(c >= 0) || double.IsInfinity(c)) throw new ArgumentOutOfRangeException(nameof(c), c, "the exploration scale must be finite and >= 0");
        Window = window;
        C = c;
        _arms = new int[window];
        _paid = new bool[window];
        _windowPulls = new int[arms];
        _windowSuccesses = new int[arms];
    }

    public override string Name => "SW-UCB";

    /// <summary>τ: how many of the latest pulls the statistics keep.</summary>
    public int Window { get; }

    public double C { get; }

    public override void BeginTrial(Random rng)
    {
        base.BeginTrial(rng);
        Array.Clear(_windowPulls);
        Array.Clear(_windowSuccesses);
    }

    public override int Act(int obs)
    {
        int t = Math.Min(Time, Window);
        double logT = t > 0 ? Math.Log(t) : 0;
        for (int a = 0; a < Arms; a++) Scores[a] = UcbIndex(_windowSuccesses[a], _windowPulls[a], logT, C);
        return ArgMaxScore();
    }

    public override void Observe(int obs, int action, double reward, int nextObs, bool terminated, bool truncated)
    {
        int slot = Time % Window; // the pull that falls out of the window now, when it is full
        if (Time >= Window)
        {
            _windowPulls[_arms[slot]]--;
            if (_paid[slot]) _windowSuccesses[_arms[slot]]--;
        }
        _arms[slot] = action;
        _paid[slot] = reward > 0.5;
        _windowPulls[action]++;
        if (_paid[slot]) _windowSuccesses[action]++;
        base.Observe(obs, action, reward, nextObs, terminated, truncated);
    }
}
