namespace MetaRL.Load;

/// <summary>
/// How far a figure moved over a long run after its warm-up: the mean of the last quarter of the samples after
/// <see cref="LoadResult.WarmUp"/> against the mean of the first quarter, as a change and a percentage. A soak is flat
/// when every figure's drift is small: memory that keeps growing, tensors that are never freed or throughput that
/// sags show up here.
/// </summary>
public sealed record LoadDrift(string Series, double First, double Last)
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
            new("resident", first.Average(s => s.ResidentBytes) / 1048576.0, last.Average(s => s.ResidentBytes) / 1048576.0),
            new("heap", first.Average(s => s.ManagedHeapBytes) / 1048576.0, last.Average(s => s.ManagedHeapBytes) / 1048576.0),
        };
        foreach (var gauge in after[0].Gauges.Keys)
            drifts.Add(new LoadDrift(gauge, first.Average(s => s.Gauges.GetValueOrDefault(gauge)), last.Average(s => s.Gauges.GetValueOrDefault(gauge))));
        foreach (var step in result.Steps.Select(s => s.Step))
            drifts.Add(new LoadDrift(step, first.Average(s => Rps(s, step)), last.Average(s => Rps(s, step))));
        return drifts;
    }

    private static double Rps(LoadSample sample, string step) => sample.Steps.FirstOrDefault(s => s.Step == step)?.Rps ?? 0;
}
