using HdrHistogram;

namespace MetaRL.Load;

/// <summary>
/// One step of a scenario (e.g. "act": an act request and its reply): how many calls succeeded and failed, the
/// latency of the successful ones in an HdrHistogram (microseconds, 3 significant digits, up to 10 minutes), and the
/// bytes they carried; the same again per <see cref="LoadPhase"/> the run was in when each call ended. Safe to record
/// from many threads.
/// </summary>
public sealed class StepStats(string name, Func<string?>? phaseNow = null)
{
    private const long HighestMicroseconds = 10L * 60 * 1_000_000;
    private readonly LongHistogram _latency = new(HighestMicroseconds, 3);
    // The same values since the last sample (TakeInterval), for figures over time.
    private readonly LongHistogram _interval = new(HighestMicroseconds, 3);
    private readonly object _gate = new();
    private readonly Dictionary<string, Tally> _phases = new(StringComparer.Ordinal);
    private long _failed, _bytes, _clipped, _intervalFailed, _intervalBytes;

    /// <summary>A phase's calls.</summary>
    private sealed class Tally
    {
        public readonly LongHistogram Latency = new(HighestMicroseconds, 3);
        public long Failed, Bytes;
    }

    public string Name { get; } = name;

    public void RecordOk(TimeSpan latency, long bytes = 0)
    {
        long us = Math.Max(1, (long)Math.Round(latency.TotalMicroseconds));
        lock (_gate)
        {
            // A latency beyond the histogram's range is kept as its highest value, and counted, rather than lost.
            if (us > HighestMicroseconds)
            {
                us = HighestMicroseconds;
                _clipped++;
            }
            _latency.RecordValue(us);
            _interval.RecordValue(us);
            _bytes += bytes;
            _intervalBytes += bytes;
            if (PhaseTally() is { } t)
            {
                t.Latency.RecordValue(us);
                t.Bytes += bytes;
            }
        }
    }

    public void RecordFailed()
    {
        lock (_gate)
        {
            _failed++;
            _intervalFailed++;
            if (PhaseTally() is { } t) t.Failed++;
        }
    }

    /// <summary>The current phase's tally (under the lock), or null outside every phase.</summary>
    private Tally? PhaseTally()
    {
        if (phaseNow?.Invoke() is not { } phase) return null;
        if (!_phases.TryGetValue(phase, out var t)) _phases[phase] = t = new Tally();
        return t;
    }

    /// <summary>The step's figures in <paramref name="phase"/> (rate over its length), or null if no call of it ended then.</summary>
    public StepFigures? PhaseFigures(LoadPhase phase)
    {
        lock (_gate) return _phases.TryGetValue(phase.Name, out var t) ? Of(t.Latency, t.Failed, t.Bytes, phase.Length) : null;
    }

    /// <summary>The step's figures so far, with the rate over <paramref name="elapsed"/>.</summary>
    public StepFigures Figures(TimeSpan elapsed)
    {
        lock (_gate) return Of(_latency, _failed, _bytes, elapsed);
    }

    /// <summary>The step's figures since the last call (over <paramref name="length"/>, the time since then), and a new interval begins.</summary>
    public StepFigures TakeInterval(TimeSpan length)
    {
        lock (_gate)
        {
            var figures = Of(_interval, _intervalFailed, _intervalBytes, length);
            _interval.Reset();
            _intervalFailed = 0;
            _intervalBytes = 0;
            return figures;
        }
    }

    private StepFigures Of(LongHistogram latency, long failed, long bytes, TimeSpan elapsed)
    {
        long ok = latency.TotalCount;
        double Ms(long us) => us / 1000.0;
        double P(double percentile) => ok == 0 ? double.NaN : Ms(latency.GetValueAtPercentile(percentile));
        return new StepFigures(Name, ok, failed, (ok + failed) / Math.Max(elapsed.TotalSeconds, 1e-9),
            ok == 0 ? double.NaN : Ms(latency.GetValueAtPercentile(0)), ok == 0 ? double.NaN : latency.GetMean() / 1000.0,
            ok == 0 ? double.NaN : Ms(latency.GetMaxValue()), P(50), P(75), P(95), P(99), bytes, _clipped);
    }
}

/// <summary>A step's figures: calls that succeeded and failed, requests per second, latency in milliseconds, bytes.</summary>
/// <param name="Clipped">Latencies beyond 10 minutes, recorded as 10 minutes.</param>
public sealed record StepFigures(string Step, long Ok, long Failed, double Rps, double MinMs, double MeanMs, double MaxMs,
    double P50Ms, double P75Ms, double P95Ms, double P99Ms, long Bytes, long Clipped = 0)
{
    public long Count => Ok + Failed;
}
