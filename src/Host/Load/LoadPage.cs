using System.Text.Json.Nodes;
using MetaRL.Host.Reports;
using MetaRL.Load;

namespace MetaRL.Host.Load;

/// <summary>
/// load.html: a load run on the report's page (<see cref="ReportPage"/>, drawn by web/src/report.js): the steps' figures
/// for the whole run and by phase, the notes and the thresholds' verdict, and every figure over time as charts (each
/// step's p50 and p99, requests and failures a second; memory; copies; the scenario's gauges). Self-contained, like a report.
/// </summary>
internal static class LoadPage
{
    public static string Render(LoadResult r, string header, IEnumerable<string> notes, string verdict)
    {
        var stepNames = r.Samples.SelectMany(s => s.Steps.Select(f => f.Step)).Distinct().ToArray();
        var gaugeNames = r.Samples.SelectMany(s => s.Gauges.Keys).Distinct().ToArray();
        JsonArray Series(Func<LoadSample, double> value) => new(r.Samples.Select(s => Number(value(s))).ToArray());
        var steps = new JsonObject();
        foreach (var name in stepNames)
        {
            StepFigures? Of(LoadSample s) => s.Steps.FirstOrDefault(f => f.Step == name);
            steps[name] = new JsonObject
            {
                // Rps counts ok and failed calls over the interval: split it by their shares.
                ["rps"] = Series(s => Of(s) is { Count: > 0 } f ? f.Ok * f.Rps / f.Count : 0),
                ["failed"] = Series(s => Of(s) is { Count: > 0 } f ? f.Failed * f.Rps / f.Count : 0),
                ["p50"] = Series(s => Of(s)?.P50Ms ?? double.NaN),
                ["p99"] = Series(s => Of(s)?.P99Ms ?? double.NaN),
            };
        }
        var gauges = new JsonObject();
        foreach (var name in gaugeNames) gauges[name] = Series(s => s.Gauges.GetValueOrDefault(name, double.NaN));
        var load = new JsonObject
        {
            ["scenario"] = r.Scenario,
            ["seconds"] = r.Duration.TotalSeconds,
            ["header"] = header,
            ["steps"] = new JsonArray(r.Steps.Select(Figures).ToArray()),
            ["phases"] = new JsonArray(r.Phases.Select(p => (JsonNode)new JsonObject
            {
                ["phase"] = p.Phase,
                ["start"] = p.Start.TotalSeconds,
                ["length"] = p.Length.TotalSeconds,
                ["steps"] = new JsonArray(p.Steps.Select(Figures).ToArray()),
            }).ToArray()),
            ["samples"] = new JsonObject
            {
                ["seconds"] = Series(s => s.Seconds),
                ["copies"] = Series(s => s.Copies),
                ["resident_mb"] = Series(s => s.ResidentBytes / 1048576.0),
                ["heap_mb"] = Series(s => s.ManagedHeapBytes / 1048576.0),
                ["gauges"] = gauges,
                ["steps"] = steps,
            },
            ["notes"] = new JsonArray(notes.Where(n => n.Length > 0).Select(n => (JsonNode)n).ToArray()),
            ["verdict"] = verdict,
        };
        return ReportPage.Html($"metarl load {r.Scenario}", new JsonObject { ["load"] = load });
    }

    private static JsonNode Figures(StepFigures f) => new JsonObject
    {
        ["step"] = f.Step,
        ["count"] = f.Count,
        ["ok"] = f.Ok,
        ["failed"] = f.Failed,
        ["rps"] = Number(f.Rps),
        ["min"] = Number(f.MinMs),
        ["mean"] = Number(f.MeanMs),
        ["max"] = Number(f.MaxMs),
        ["p50"] = Number(f.P50Ms),
        ["p75"] = Number(f.P75Ms),
        ["p95"] = Number(f.P95Ms),
        ["p99"] = Number(f.P99Ms),
        ["bytes"] = f.Bytes,
    };

    /// <summary>JSON has no NaN: a figure that does not exist (no call in the interval) is null, a gap in its line.</summary>
    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
