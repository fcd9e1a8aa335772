namespace MetaRL.Environments.Baselines;

/// <summary>
/// UCRL2 (Jaksch, Ortner and Auer 2010) in its finite-horizon form: each episode, plan by extended value
/// iteration over every MDP in the confidence set around the empirical estimates, and act on the most
/// optimistic one. With t the steps so far and n = max(1, visits of (s, a)), the set allows mean rewards up to
/// R̂ + scale·sqrt(7 ln(2SAt/δ) / 2n) and transition rows within L1 distance scale·sqrt(14 S ln(2At/δ) / n) of P̂.
/// The theory's widths (scale = 1) assume rewards in [0, 1] and are far too wide for a 100-step trial; the
/// scale is a tuned constant (README). An unvisited (s, a) is estimated as paying 0 and moving uniformly.
/// </summary>
public sealed class Ucrl2Mdp : MdpPolicy
{
    private readonly double[] _optimisticRewards;
    private readonly double[] _transitionSlack;
    private readonly double[] _p;
    private readonly int[] _order;
    private readonly double[] _orderKeys;

    public Ucrl2Mdp(int states, int actions, int horizon, double delta = 0.05, double scale = 1.0) : base(states, actions, horizon)
    {
        if (!(delta > 0 && delta < 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1)");
        if (!(scale >= 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be finite and >= 0");
        Delta = delta;
        Scale = scale;
        _optimisticRewards = new double[states * actions];
        _transitionSlack = new double[states * actions];
        _p = new double[states];
        _order = new int[states];
        _orderKeys = new double[states];
    }

    /// <summary>Confidence parameter δ.</summary>
    public double Delta { get; }

    /// <summary>Multiplies both confidence widths.</summary>
    public double Scale { get; }

    public override string Name => "UCRL2";

    protected override void Plan()
    {
        double t = Math.Max(TotalSteps, 1);
        double logR = Math.Log(2 * States * Actions * t / Delta);
        double logP = Math.Log(2 * Actions * t / Delta);
        for (int sa = 0; sa < States * Actions; sa++)
        {
            double n = Math.Max(Visits[sa], 1);
            double mean = Visits[sa] > 0 ? RewardSums[sa] / Visits[sa] : 0.0;
            _optimisticRewards[sa] = mean + Scale * Math.Sqrt(7 * logR / (2 * n));
            _transitionSlack[sa] = Scale * Math.Sqrt(14 * States * logP / n);
        }

        V.AsSpan(Horizon * States, States).Clear();
        for (int h = Horizon - 1; h >= 0; h--)
        {
            // Next states from best to worst value: optimism moves probability mass up this order.
            for (int s = 0; s < States; s++) { _order[s] = s; _orderKeys[s] = -V[(h + 1) * States + s]; }
            Array.Sort(_orderKeys, _order);
            for (int s = 0; s < States; s++)
            {
                double best = double.NegativeInfinity;
                for (int a = 0; a < Actions; a++)
                {
                    int sa = s * Actions + a;
                    OptimisticRow(sa);
                    double value = _optimisticRewards[sa];
                    for (int n = 0; n < States; n++) value += _p[n] * V[(h + 1) * States + n];
                    Q[(h * States + s) * Actions + a] = value;
                    best = Math.Max(best, value);
                }
                V[h * States + s] = best;
            }
        }
    }

    // The transition row within L1 distance d of P̂ that maximises the expected next value: add d/2 to the
    // best next state and take the same mass from the worst ones (Jaksch et al., Figure 2).
    private void OptimisticRow(int sa)
    {
        int moves = 0;
        for (int n = 0; n < States; n++) moves += TransitionCounts[sa * States + n];
        for (int n = 0; n < States; n++)
            _p[n] = moves > 0 ? (double)TransitionCounts[sa * States + n] / moves : 1.0 / States;
        int top = _order[0];
        _p[top] = Math.Min(1.0, _p[top] + _transitionSlack[sa] / 2);
        double excess = -1.0;
        for (int n = 0; n < States; n++) excess += _p[n];
        for (int i = States - 1; i > 0 && excess > 0; i--)
        {
            int worst = _order[i];
            double take = Math.Min(excess, _p[worst]);
            _p[worst] -= take;
            excess -= take;
        }
    }
}
