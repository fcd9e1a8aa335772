namespace MetaRL.Load;

/// <summary>
/// A sequence of <see cref="LoadSimulation"/>s laid out in time: for the closed model, how many copies should be
/// running at a moment; for the open model, how many copies should have been started by then in all (the integral of
/// the injection rate), so that a runner that fell behind starts the missing ones at once instead of skipping them.
/// </summary>
public sealed class LoadTimeline
{
    /// <summary>One simulation's stretch: from <see cref="Start"/> for <see cref="Length"/>, the level (copies, or copies per second) moving linearly from <see cref="From"/> to <see cref="To"/>.</summary>
    private sealed record Segment(TimeSpan Start, TimeSpan Length, bool Open, double From, double To, double InjectedBefore);

    private readonly Segment[] _segments;

    public LoadTimeline(IReadOnlyList<LoadSimulation> simulations)
    {
        if (simulations.Count == 0) throw new ArgumentException("a scenario needs at least one load simulation", nameof(simulations));
        var segments = new List<Segment>();
        var start = TimeSpan.Zero;
        double level = 0, injected = 0;
        bool? open = null;
        foreach (var s in simulations)
        {
            var (isOpen, from, to) = s switch
            {
                LoadSimulation.Inject i => (true, PerSecond(i.Rate, i.Interval), PerSecond(i.Rate, i.Interval)),
                LoadSimulation.RampingInject r => (true, open == true ? level : 0, PerSecond(r.Rate, r.Interval)),
                LoadSimulation.KeepConstant k => (false, k.Copies, (double)k.Copies),
                LoadSimulation.RampingConstant r => (false, open == false ? level : 0, (double)r.Copies),
                _ => throw new ArgumentException($"unknown load simulation {s.GetType().Name}", nameof(simulations)),
            };
            if (open is { } o && o != isOpen)
                throw new ArgumentException("a scenario's load simulations are either all open (inject) or all closed (constant), as in NBomber", nameof(simulations));
            open = isOpen;
            var segment = new Segment(start, s.During, isOpen, from, to, injected);
            segments.Add(segment);
            if (isOpen) injected += (from + to) / 2 * s.During.TotalSeconds;
            start += s.During;
            level = to;
        }
        _segments = segments.ToArray();
        Duration = start;
        IsOpen = open!.Value;
    }

    /// <summary>The whole load's length.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Open model (inject) rather than closed (constant).</summary>
    public bool IsOpen { get; }

    private static double PerSecond(int rate, TimeSpan interval) => rate / interval.TotalSeconds;

    /// <summary>Closed model: the copies that should be running at <paramref name="t"/> (0 after the end).</summary>
    public int CopiesAt(TimeSpan t)
    {
        if (IsOpen) throw new InvalidOperationException("an open (inject) load has no fixed number of copies; use InjectedBy");
        if (Find(t) is not { } s) return 0;
        return (int)Math.Round(Level(s, t));
    }

    /// <summary>Open model: how many copies should have been started from the beginning up to <paramref name="t"/>, in all.</summary>
    public long InjectedBy(TimeSpan t)
    {
        if (!IsOpen) throw new InvalidOperationException("a closed (constant) load injects nothing; use CopiesAt");
        if (t >= Duration) return (long)Math.Floor(Total(_segments[^1]) + 1e-9);
        if (Find(t) is not { } s) return 0;
        double into = (t - s.Start).TotalSeconds;
        // The rate moves linearly across the segment: what was injected is the area under it so far.
        double area = into * (s.From + Level(s, t)) / 2;
        return (long)Math.Floor(s.InjectedBefore + area + 1e-9);
    }

    private static double Total(Segment s) => s.InjectedBefore + (s.From + s.To) / 2 * s.Length.TotalSeconds;

    private static double Level(Segment s, TimeSpan t) => s.From + (s.To - s.From) * ((t - s.Start).TotalSeconds / s.Length.TotalSeconds);

    private Segment? Find(TimeSpan t)
    {
        if (t < TimeSpan.Zero || t >= Duration) return null;
        foreach (var s in _segments)
            if (t < s.Start + s.Length) return s;
        return null;
    }
}
