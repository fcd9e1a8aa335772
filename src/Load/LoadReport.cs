using System.Globalization;
using System.Text;

namespace MetaRL.Load;

/// <summary>A load run's figures as a Markdown table and as CSV, and the threshold checks' verdict line.</summary>
public static class LoadReport
{
    public const string CsvHeader = "scenario,step,count,ok,failed,rps,min_ms,mean_ms,max_ms,p50_ms,p75_ms,p95_ms,p99_ms,bytes";

    public static string Markdown(LoadResult r)
    {
        var md = new StringBuilder();
        string failed = r.CopiesFailed > 0 ? string.Create(CultureInfo.InvariantCulture, $", {r.CopiesFailed:N0} failed outside their steps") : "";
        md.AppendLine(CultureInfo.InvariantCulture, $"## {r.Scenario}: {r.Duration.TotalSeconds:0.0} s, {r.CopiesStarted:N0} copies started, at most {r.MostConcurrent:N0} at once{failed}");
        md.AppendLine();
        md.AppendLine("| step | count | ok | failed | RPS | min ms | mean ms | max ms | p50 ms | p75 ms | p95 ms | p99 ms | bytes |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var s in r.Steps) md.AppendLine(Row(s.Step, s));
        if (r.Phases.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("### by phase");
            md.AppendLine();
            md.AppendLine("| phase | step | count | ok | failed | RPS | min ms | mean ms | max ms | p50 ms | p75 ms | p95 ms | p99 ms | bytes |");
            md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var p in r.Phases)
                foreach (var s in p.Steps)
                    md.AppendLine(Row($"{p.Phase} | {s.Step}", s));
        }
        if (r.WarmUp > TimeSpan.Zero && LoadDrift.Of(r) is { Count: > 0 } drifts)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"### drift after the warm-up ({r.WarmUp.TotalSeconds:0} s): last quarter of the samples against the first (memory and gauges: their floors; rates: their means)");
            md.AppendLine();
            md.AppendLine("| series | measure | first quarter | last quarter | change | % |");
            md.AppendLine("|---|---|--:|--:|--:|--:|");
            foreach (var d in drifts)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {SeriesName(d.Series, r)} | {d.Measure} | {d.First:0.###} | {d.Last:0.###} | {d.Change:+0.###;-0.###;0} | {(double.IsFinite(d.Percent) ? d.Percent.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) : "—")} |");
        }
        return md.ToString();
    }

    private static string Row(string name, StepFigures s) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {s.Count:N0} | {s.Ok:N0} | {s.Failed:N0} | {s.Rps:N1} | {F(s.MinMs)} | {F(s.MeanMs)} | {F(s.MaxMs)} | {F(s.P50Ms)} | {F(s.P75Ms)} | {F(s.P95Ms)} | {F(s.P99Ms)} | {s.Bytes:N0} |");

    private static string SeriesName(string series, LoadResult r) => series switch
    {
        "resident" => "resident memory (MB)",
        "heap" => "managed heap (MB)",
        _ when r.Steps.Any(s => s.Step == series) => $"{series} (RPS)",
        _ => series,
    };

    public const string PhasesHeader = "phase,seconds,step,count,ok,failed,rps,min_ms,mean_ms,max_ms,p50_ms,p75_ms,p95_ms,p99_ms,bytes";

    /// <summary>Each phase's figures, one row per phase and step.</summary>
    public static string PhasesCsv(LoadResult r)
    {
        var csv = new StringBuilder().AppendLine(PhasesHeader);
        foreach (var p in r.Phases)
            foreach (var s in p.Steps)
                csv.AppendLine(string.Join(",", new object[] { p.Phase, G(p.Length.TotalSeconds), s.Step, s.Count, s.Ok, s.Failed, G(s.Rps), G(s.MinMs), G(s.MeanMs), G(s.MaxMs),
                    G(s.P50Ms), G(s.P75Ms), G(s.P95Ms), G(s.P99Ms), s.Bytes }.Select(o => Convert.ToString(o, CultureInfo.InvariantCulture))));
        return csv.ToString();
    }

    public static string Csv(IEnumerable<LoadResult> results)
    {
        var csv = new StringBuilder().AppendLine(CsvHeader);
        foreach (var r in results)
            foreach (var s in r.Steps)
                csv.AppendLine(string.Join(",", new object[] { r.Scenario, s.Step, s.Count, s.Ok, s.Failed, G(s.Rps), G(s.MinMs), G(s.MeanMs), G(s.MaxMs), G(s.P50Ms), G(s.P75Ms), G(s.P95Ms), G(s.P99Ms), s.Bytes }
                    .Select(o => Convert.ToString(o, CultureInfo.InvariantCulture))));
        return csv.ToString();
    }

    public const string TimelineHeader = "seconds,copies,resident_mb,managed_heap_mb,step,count,failed,rps,p50_ms,p99_ms";

    /// <summary>The figures over time: one row per sample and step, with a column per gauge of the scenario after the fixed ones.</summary>
    public static string TimelineCsv(LoadResult r)
    {
        var gauges = r.Samples.SelectMany(s => s.Gauges.Keys).Distinct().ToArray();
        var csv = new StringBuilder().AppendLine(string.Join(",", [TimelineHeader, .. gauges]));
        foreach (var sample in r.Samples)
            foreach (var s in sample.Steps)
                csv.AppendLine(string.Join(",", new object[] { G(sample.Seconds), sample.Copies, G(sample.ResidentBytes / 1048576.0), G(sample.ManagedHeapBytes / 1048576.0),
                    s.Step, s.Count, s.Failed, G(s.Rps), G(s.P50Ms), G(s.P99Ms) }.Concat(gauges.Select(g => (object)G(sample.Gauges.GetValueOrDefault(g, double.NaN))))
                    .Select(o => Convert.ToString(o, CultureInfo.InvariantCulture))));
        return csv.ToString();
    }

    /// <summary>
    /// Checks every threshold against the figures: the verdict line (the last line a load run prints) and whether all
    /// passed, e.g. "thresholds: 1 passed (failed=0: failed = 0); 1 FAILED (p99(act)&lt;50ms: p99(act) = 71.3 ms)".
    /// </summary>
    public static (string Line, bool AllPassed) Verdict(IReadOnlyList<Threshold> thresholds, LoadResult result)
    {
        if (thresholds.Count == 0) return ("thresholds: none given", true);
        var checks = thresholds.Select(t => (t, c: t.Check(result))).ToArray();
        var passed = checks.Where(x => x.c.Passed).Select(x => $"{x.t.Text}: {x.c.Measured}").ToArray();
        var failed = checks.Where(x => !x.c.Passed).Select(x => $"{x.t.Text}: {x.c.Measured}").ToArray();
        var line = $"thresholds: {passed.Length} passed{(passed.Length > 0 ? $" ({string.Join("; ", passed)})" : "")}" +
            (failed.Length > 0 ? $"; {failed.Length} FAILED ({string.Join("; ", failed)})" : "");
        return (line, failed.Length == 0);
    }

    private static string F(double ms) => double.IsNaN(ms) ? "—" : ms.ToString("0.###", CultureInfo.InvariantCulture);

    private static string G(double v) => double.IsNaN(v) ? "" : v.ToString("G6", CultureInfo.InvariantCulture);
}
