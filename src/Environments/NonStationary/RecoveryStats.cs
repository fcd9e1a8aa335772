namespace MetaRL.Environments.NonStationary;

/// <summary>
/// How a policy re-adapts after its task switches, from the step rewards of many trials and their switch times:
/// the <b>recovery curve</b>, the mean reward at each step from <see cref="Before"/> steps before a switch to
/// <see cref="After"/> − 1 after it (offset 0 is the first step under the new task), averaged over switches; and the
/// <b>recovery time</b> of each switch, the steps after it until the <see cref="Window"/>-step moving average of the
/// rewards since the switch is back to <see cref="Level"/> of the mean of the <see cref="Window"/> steps before it.
/// </summary>
/// <remarks>
/// A switch with fewer than <see cref="Window"/> steps before it (in its trial, or since the previous switch) has no
/// pre-change level and gets no recovery time; one whose level is not positive has nothing to recover to and gets
/// none either. The search for recovery stops at the next switch or the end of the trial: a switch not recovered by
/// then counts as never recovered. Merge per-chunk stats in a fixed order to keep sums independent of threads.
/// </remarks>
public sealed class RecoveryStats
{
    public const int Before = 10;
    public const int After = 50;
    public const int Window = 10;
    public const double Level = 0.9;

    private readonly double[] _sums = new double[Before + After];
    private readonly long[] _counts = new long[Before + After];
    private readonly List<int> _recoveryTimes = [];

    /// <summary>Switches seen.</summary>
    public long Switches { get; private set; }

    /// <summary>Switches with a pre-change level, for which a recovery time was sought.</summary>
    public long Measured { get; private set; }

    /// <summary>Measured switches not recovered before the next switch or the end of the trial.</summary>
    public long NeverRecovered { get; private set; }

    /// <summary>The recovery times of the switches that recovered.</summary>
    public IReadOnlyList<int> RecoveryTimes => _recoveryTimes;

    /// <summary>Adds one trial: its step rewards and the steps at which its task switched (ascending).</summary>
    public void AddTrial(ReadOnlySpan<double> rewards, IReadOnlyList<long> switches)
    {
        for (int i = 0; i < switches.Count; i++)
        {
            long c = switches[i];
            if (c <= 0 || c >= rewards.Length) continue; // a switch before step 0 only replaced the first task
            Switches++;
            for (int k = 0; k < Before + After; k++)
            {
                long s = c - Before + k;
                if (s < 0 || s >= rewards.Length) continue;
                _sums[k] += rewards[(int)s];
                _counts[k]++;
            }
            long previous = i > 0 ? switches[i - 1] : 0;
            long end = i + 1 < switches.Count ? Math.Min(switches[i + 1], rewards.Length) : rewards.Length;
            if (c - previous < Window) continue;
            double pre = Mean(rewards.Slice((int)(c - Window), Window));
            if (!(pre > 0)) continue;
            Measured++;
            if (RecoveryTime(rewards, (int)c, (int)end, pre) is int time) _recoveryTimes.Add(time);
            else NeverRecovered++;
        }
    }

    /// <summary>
    /// The recovery time of a switch at <paramref name="change"/> whose segment ends (exclusive) at <paramref name="end"/>:
    /// the smallest s − change + 1 over steps s ≥ change + <see cref="Window"/> − 1, s &lt; end, at which the mean reward
    /// of steps s − <see cref="Window"/> + 1 … s reaches <see cref="Level"/> × <paramref name="preLevel"/>; null when none does.
    /// The earliest possible answer is <see cref="Window"/>: the first moving average made only of steps after the switch.
    /// </summary>
    public static int? RecoveryTime(ReadOnlySpan<double> rewards, int change, int end, double preLevel)
    {
        double target = Level * preLevel;
        double sum = 0;
        for (int s = change; s < end; s++)
        {
            sum += rewards[s];
            if (s - change >= Window) sum -= rewards[s - Window];
            // A small tolerance, so that a level met exactly is not missed to rounding in the running sum.
            if (s - change + 1 >= Window && sum / Window >= target - 1e-12) return s - change + 1;
        }
        return null;
    }

    /// <summary>Adds <paramref name="other"/>'s switches to these.</summary>
    public void Merge(RecoveryStats other)
    {
        for (int k = 0; k < _sums.Length; k++)
        {
            _sums[k] += other._sums[k];
            _counts[k] += other._counts[k];
        }
        _recoveryTimes.AddRange(other._recoveryTimes);
        Switches += other.Switches;
        Measured += other.Measured;
        NeverRecovered += other.NeverRecovered;
    }

    /// <summary>The recovery curve: mean reward at offsets −<see cref="Before"/> … <see cref="After"/> − 1 (NaN where no switch reached).</summary>
    public double[] Curve()
    {
        var curve = new double[_sums.Length];
        for (int k = 0; k < curve.Length; k++) curve[k] = _counts[k] == 0 ? double.NaN : _sums[k] / _counts[k];
        return curve;
    }

    /// <summary>
    /// The median recovery time over the measured switches, the never-recovered ones counting as longer than any:
    /// null when there are none, or when half or more never recovered.
    /// </summary>
    public double? MedianRecoveryTime()
    {
        if (Measured == 0) return null;
        var sorted = _recoveryTimes.Order().ToArray();
        long n = Measured;
        double At(long i) => i < sorted.Length ? sorted[i] : double.PositiveInfinity;
        double median = n % 2 == 1 ? At(n / 2) : (At(n / 2 - 1) + At(n / 2)) / 2;
        return double.IsFinite(median) ? median : null;
    }

    /// <summary>The fraction of measured switches never recovered (NaN when none was measured).</summary>
    public double NeverRecoveredFraction => Measured == 0 ? double.NaN : (double)NeverRecovered / Measured;

    private static double Mean(ReadOnlySpan<double> xs)
    {
        double sum = 0;
        foreach (var x in xs) sum += x;
        return sum / xs.Length;
    }
}
