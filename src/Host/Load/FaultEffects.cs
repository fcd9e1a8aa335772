using System.Globalization;
using System.Text;
using MetaRL.Load;

namespace MetaRL.Host.Load;

/// <summary>
/// Each fault's effect, read from the phases around it: the act step's p99 and rate in the clean stretch before the
/// fault, during it and in the clean stretch after, and what was counted (failed steps, skipped updates).
/// </summary>
internal static class FaultEffects
{
    public static string Markdown(LoadResult r)
    {
        var phases = r.Phases.ToDictionary(p => p.Phase);
        var md = new StringBuilder();
        md.AppendLine();
        md.AppendLine("### each fault's effect on act (p99 ms and requests/s: before / during / after) and what was counted");
        md.AppendLine();
        md.AppendLine("| fault | p99 before | p99 during | p99 after | RPS before | RPS during | RPS after | counted during |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|---|");
        for (int i = 0; i < LoadScenarios.Faults.Length; i++)
        {
            var (_, phase) = LoadScenarios.Faults[i];
            StepFigures? Act(string name) => phases.TryGetValue(name, out var p) ? p.Steps.FirstOrDefault(s => s.Step == "act") : null;
            var (before, during, after) = (Act($"clean {i + 1}"), Act(phase), Act($"clean {i + 2}"));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {phase} | {P99(before)} | {P99(during)} | {P99(after)} | {Rps(before)} | {Rps(during)} | {Rps(after)} | {Counted(phases.GetValueOrDefault(phase))} |");
        }
        return md.ToString();
    }

    private static string P99(StepFigures? s) => s is null || double.IsNaN(s.P99Ms) ? "—" : s.P99Ms.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Rps(StepFigures? s) => s is null ? "—" : s.Rps.ToString("N0", CultureInfo.InvariantCulture);

    private static string Counted(PhaseFigures? p)
    {
        if (p is null) return "—";
        var counted = p.Steps.Where(s => s.Failed > 0).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Failed:N0} failed {s.Step}")).ToList();
        if (p.Steps.FirstOrDefault(s => s.Step == "env") is { } env)
            counted.Add(string.Create(CultureInfo.InvariantCulture, $"env p99 {env.P99Ms:0.##} ms"));
        return counted.Count == 0 ? "nothing" : string.Join(", ", counted);
    }
}
