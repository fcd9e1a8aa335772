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
                $"| {phase} | {P99(before)} | {P99(during)} | {P99(after)} | {Rps(before)} | {Rps(during)} | {Rps(after)} | {Counted(r, phases.GetValueOrDefault(phase))} |");
        }
        return md.ToString();
    }

    private static string P99(StepFigures? s) => s is null || double.IsNaN(s.P99Ms) ? "—" : s.P99Ms.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Rps(StepFigures? s) => s is null ? "—" : s.Rps.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// What the fault left in its phase: envs that threw, updates skipped as not finite, batcher restarts (from the
    /// gauges), the slowest env step. Trials the learner dropped as stale are not faults (they come with any overload) and are left out.
    /// </summary>
    private static string Counted(LoadResult r, PhaseFigures? p)
    {
        if (p is null) return "—";
        var counted = new List<string>();
        StepFigures? Step(string name) => p.Steps.FirstOrDefault(s => s.Step == name);
        if (Step("env") is { } env)
        {
            if (env.Failed > 0) counted.Add(string.Create(CultureInfo.InvariantCulture, $"{env.Failed:N0} env faults (trials abandoned)"));
            counted.Add(string.Create(CultureInfo.InvariantCulture, $"slowest env step {env.MaxMs:0.#} ms"));
        }
        if (Step("update") is { Failed: > 0 } update) counted.Add(string.Create(CultureInfo.InvariantCulture, $"{update.Failed:N0} updates skipped (not finite)"));
        var inPhase = r.Samples.Where(s => s.Seconds > p.Start.TotalSeconds && s.Seconds <= (p.Start + p.Length).TotalSeconds).ToArray();
        double Rise(string gauge) => inPhase.Length == 0 ? 0
            : inPhase[^1].Gauges.GetValueOrDefault(gauge) - (r.Samples.LastOrDefault(s => s.Seconds <= p.Start.TotalSeconds)?.Gauges.GetValueOrDefault(gauge) ?? 0);
        if (Rise("batcher_restarts") is > 0 and var restarts) counted.Add(string.Create(CultureInfo.InvariantCulture, $"{restarts:N0} batcher restart(s)"));
        if (Rise("nan_rewards") is > 0 and var nans) counted.Add(string.Create(CultureInfo.InvariantCulture, $"{nans:N0} NaN rewards"));
        return string.Join(", ", counted);
    }
}
