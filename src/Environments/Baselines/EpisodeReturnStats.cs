namespace MetaRL.Environments.Baselines;

/// <summary>
/// Running sums of each episode's return over many trials, from which a policy's adaptation curve (the mean return of
/// episode k of a trial, with its standard error) follows without keeping every trial's returns: a baseline run on a
/// million trials costs two arrays of one entry per episode.
/// </summary>
public sealed class EpisodeReturnStats(int episodes)
{
    private readonly double[] _sum = new double[episodes];
    private readonly double[] _sumOfSquares = new double[episodes];

    public int Trials { get; private set; }

    public int Episodes => _sum.Length;

    /// <summary>Adds one trial's returns, one per episode.</summary>
    public void Add(IReadOnlyList<double> returns)
    {
        if (returns.Count != _sum.Length)
            throw new ArgumentException($"a trial of {returns.Count} episodes added to the statistics of {_sum.Length}-episode trials", nameof(returns));
        for (int k = 0; k < _sum.Length; k++)
        {
            _sum[k] += returns[k];
            _sumOfSquares[k] += returns[k] * returns[k];
        }
        Trials++;
    }

    /// <summary>Adds another part's trials (merge parts in a fixed order and the sums do not depend on threads).</summary>
    public void Merge(EpisodeReturnStats other)
    {
        if (other.Episodes != Episodes) throw new ArgumentException("the parts hold trials of different lengths", nameof(other));
        for (int k = 0; k < _sum.Length; k++)
        {
            _sum[k] += other._sum[k];
            _sumOfSquares[k] += other._sumOfSquares[k];
        }
        Trials += other.Trials;
    }

    /// <summary>The mean return of each episode and its standard error (sample standard deviation / √trials).</summary>
    public (double Mean, double StdErr)[] Curve()
    {
        var curve = new (double, double)[_sum.Length];
        int n = Trials;
        for (int k = 0; k < curve.Length; k++)
        {
            double mean = n == 0 ? double.NaN : _sum[k] / n;
            // Clamped at 0: rounding can leave a constant episode's variance a hair below it.
            double variance = n > 1 ? Math.Max(0, (_sumOfSquares[k] - n * mean * mean) / (n - 1)) : 0;
            curve[k] = (mean, Math.Sqrt(variance / Math.Max(n, 1)));
        }
        return curve;
    }
}
