namespace MetaRL.Load;

/// <summary>
/// How far a figure moved over a long run after its warm-up: the last quarter of the samples after
/// <see cref="LoadResult.WarmUp"/> against the first quarter, as a change and a percentage. Memory and gauges compare
/// their floors (the lowest sample of each quarter: the heap just after a collection, the tensors between two
/// updates), since a collector's sawtooth moves their means by more than a leak would in half an hour; rates compare
/// their means. A soak is flat when every drift is small: memory that keeps growing, tensors that are never freed or
/// throughput that sags show up here.
/// </summary>
/// <param name="Measure">"floor" (the quarters' lowest samples) or "mean".</param>
public sealed record LoadDrift(string Series, double First, double Last, string Measure = "mean")
{
    public double Change => Last - First;

    /// <summary>The change as a percentage of the first quarter's mean (0 when both are 0).</summary>
    public double Percent => First == 0 ? (Last == 0 ? 0 : double.PositiveInfinity) : 100 * (Last - First) / Math.Abs(First);

    /// <summary>
    /// The drift of resident memory (<c>resident</c>, MB), the managed heap (<c>heap</c>, MB), every gauge, and every
    /// step's rate (by the step's name); empty when fewer than 8 samples follow the warm-up.
    /// </summary>
    public static IReadOnlyList<LoadDrift> Of(LoadResult result)
    {
        var after = result.Samples.Where(s => s.Seconds > result.WarmUp.TotalSeconds).ToArray();
        // The run's last sample covers the copies' wind-down at the end, not the steady load.
        if (after.Length > 1) after = after[..^1];
        if (after.Length < 8) return [];
        int quarter = after.Length / 4;
        var first = after[..quarter];
        var last = after[^quarter..];
        var drifts = new List<LoadDrift>
        {
            new("resident", first.Min(s => s.ResidentBytes) / 1048576.0, last.Min(s => s.ResidentBytes) / 1048576.0, "floor"),
            new("heap", first.Min(s => s.ManagedHeapBytes) / 1048576.0, last.Min(s => s.ManagedHeapBytes) / 1048576.0, "floor"),
        };
        foreach (var gauge in after[0].Gauges.Keys)
            drifts.Add(new LoadDrift(gauge, first.Min(s => s.Gauges.GetValueOrDefault(gauge)), last.Min(s => s.Gauges.GetValueOrDefault(gauge)), "floor"));
        foreach (var step in result.Steps.Select(s => s.Step))
            drifts.Add(new LoadDrift(step, first.Average(s => Rps(s, step)), last.Average(s => Rps(s, step))));
        return drifts;
    }

    private static double Rps(LoadSample sample, string step) => sample.Steps.FirstOrDefault(s => s.Step == step)?.Rps ?? 0;
}
