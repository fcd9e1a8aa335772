using System.Collections.Concurrent;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// Gittins indices of a Bernoulli arm with a Beta(1, 1) prior under discount γ, for every posterior
/// state (s successes, f failures) with s + f ≤ <see cref="MaxPulls"/>, computed once by dynamic
/// programming and cached per (γ, MaxPulls).
/// <para>
/// <b>Calibration (retirement) formulation</b> (Gittins 1979; Whittle 1980): offer the arm a retirement
/// option that pays λ on every step forever, λ/(1 − γ) in all. The index of state x is the λ at which
/// pulling once more and then acting optimally is worth exactly retiring now. For a fixed λ one backward
/// pass over the tree of posterior states gives, at every state at once, the value of continuing; the
/// difference "continue − retire" falls strictly as λ grows, so each state's index is where it crosses 0.
/// We run the pass for λ on a uniform grid of <see cref="GridSize"/> + 1 points in [0, 1] and interpolate
/// each state's crossing linearly between the two grid points that bracket it.
/// </para>
/// <para>
/// The tree is cut at depth <c>MaxPulls + L</c> with γ^L ≤ 1e-4; below the cut the posterior is treated as
/// known (value max(λ, p)/(1 − γ)), which is nearly exact there because the posterior has concentrated.
/// Values are kept in per-step units (multiplied by 1 − γ) so that γ near 1 stays well-conditioned.
/// </para>
/// </summary>
public sealed class GittinsIndexTable
{
    /// <summary>λ grid intervals in [0, 1]; linear interpolation within an interval of 1e-3 is accurate to about 1e-6.</summary>
    public const int GridSize = 1000;

    private static readonly ConcurrentDictionary<(double, int), Lazy<GittinsIndexTable>> Cache = new();

    private readonly double[] _index; // triangular: state (s, f) at d = s + f lives at d(d+1)/2 + s

    private GittinsIndexTable(double discount, int maxPulls, double[] index)
    {
        Discount = discount;
        MaxPulls = maxPulls;
        _index = index;
    }

    /// <summary>The discount γ the indices are computed for.</summary>
    public double Discount { get; }

    /// <summary>The table covers every state with s + f ≤ MaxPulls.</summary>
    public int MaxPulls { get; }

    /// <summary>The cached table for (γ, maxPulls), computed on first use (thread-safe; computed once).</summary>
    public static GittinsIndexTable For(double discount, int maxPulls)
    {
        if (!(discount > 0 && discount < 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "the Gittins discount must be in (0, 1)");
        if (maxPulls < 0) throw new ArgumentOutOfRangeException(nameof(maxPulls), maxPulls, "must be >= 0");
        return Cache.GetOrAdd((discount, maxPulls), key => new Lazy<GittinsIndexTable>(() => Compute(key.Item1, key.Item2))).Value;
    }

    /// <summary>The Gittins index of an arm that paid <paramref name="successes"/> times and failed <paramref name="failures"/> times.</summary>
    public double Index(int successes, int failures)
    {
        int d = successes + failures;
        if (successes < 0 || failures < 0 || d > MaxPulls)
            throw new ArgumentOutOfRangeException(nameof(successes), $"state ({successes}, {failures}) is outside the table (s, f >= 0, s + f <= {MaxPulls})");
        return _index[d * (d + 1) / 2 + successes];
    }

    private static GittinsIndexTable Compute(double gamma, int maxPulls)
    {
        int cut = (int)Math.Ceiling(Math.Log(1e-4) / Math.Log(gamma));
        int depth = maxPulls + Math.Max(cut, 1);
        int states = (maxPulls + 1) * (maxPulls + 2) / 2;
        var index = new double[states];
        var prevDiff = new double[states];
        var found = new bool[states];
        var next = new double[depth + 2];
        var cur = new double[depth + 2];

        for (int j = 0; j <= GridSize; j++)
        {
            double lambda = (double)j / GridSize;
            for (int s = 0; s <= depth; s++) next[s] = Math.Max(lambda, (s + 1.0) / (depth + 2.0));
            for (int d = depth - 1; d >= 0; d--)
            {
                for (int s = 0; s <= d; s++)
                {
                    double p = (s + 1.0) / (d + 2.0);
                    double cont = (1 - gamma) * p + gamma * (p * next[s + 1] + (1 - p) * next[s]);
                    cur[s] = Math.Max(lambda, cont);
                    if (d > maxPulls) continue;
                    int k = d * (d + 1) / 2 + s;
                    double diff = cont - lambda;
                    if (j > 0 && !found[k] && diff <= 0)
                    {
                        double before = prevDiff[k];
                        index[k] = (j - 1 + before / (before - diff)) / GridSize;
                        found[k] = true;
                    }
                    prevDiff[k] = diff;
                }
                (cur, next) = (next, cur);
            }
        }
        for (int k = 0; k < states; k++)
            if (!found[k]) throw new InvalidOperationException($"Gittins calibration found no crossing for state {k}; this is a bug");
        return new GittinsIndexTable(gamma, maxPulls, index);
    }
}
