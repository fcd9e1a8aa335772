using System.Globalization;
using System.Text;
using System.Text.Json;
using MetaRL.Environments.NonStationary;
using Spectre.Console;

namespace MetaRL.Host.Studies;

/// <summary>
/// How the figures of a non-stationary study (<see cref="TrackingSummary"/>) appear in every table and JSON object
/// that has them (<c>metarl baselines</c>, <c>eval</c>, <c>study</c>): the same columns, keys and curve drawing.
/// </summary>
internal static class TrackingOutput
{
    public static void AddColumns(Table table)
    {
        table.AddColumn(new TableColumn("Tracking regret").RightAligned());
        table.AddColumn(new TableColumn("± s.e.").RightAligned());
        table.AddColumn(new TableColumn("Recovery (median steps)").RightAligned());
        table.AddColumn(new TableColumn("Never recovered").RightAligned());
    }

    public static string[] Cells(TrackingSummary? t) => t is null
        ? ["", "", "", ""]
        : [F(t.Regret, 2), F(t.RegretStdErr, 2), t.MedianRecovery is double m ? F(m, 1) : "—", double.IsNaN(t.NeverRecovered) ? "—" : $"{t.NeverRecovered * 100:0.0} %"];

    /// <summary>
    /// One line per policy: its recovery curve as a strip of block characters on one shared scale (the first
    /// <see cref="RecoveryStats.Before"/> are the steps before the switch, then a bar), with the levels before and after.
    /// </summary>
    public static void WriteCurves(TextWriter w, IReadOnlyList<(string Policy, TrackingSummary Tracking)> rows)
    {
        if (rows.Count == 0 || rows.All(r => r.Tracking.Switches == 0)) return;
        var all = rows.SelectMany(r => r.Tracking.Curve).Where(double.IsFinite).ToArray();
        double lo = all.Min(), hi = all.Max();
        int width = rows.Max(r => r.Policy.Length);
        w.WriteLine($"Recovery curves: mean reward from {RecoveryStats.Before} steps before a switch (left of |) to {RecoveryStats.After - 1} after; scale {F(lo, 3)} (▁) to {F(hi, 3)} (█)");
        foreach (var (policy, t) in rows)
        {
            var line = new StringBuilder();
            for (int k = 0; k < t.Curve.Length; k++)
            {
                if (k == RecoveryStats.Before) line.Append('|');
                line.Append(Block(t.Curve[k], lo, hi));
            }
            w.WriteLine($"  {policy.PadRight(width)}  {line}  {F(Mean(t.Curve, 0, RecoveryStats.Before), 3)} before, {F(t.Curve[RecoveryStats.Before], 3)} at the switch, {F(Mean(t.Curve, t.Curve.Length - 10, 10), 3)} 40–49 after");
        }
    }

    public static void WriteJson(Utf8JsonWriter w, TrackingSummary t)
    {
        w.WriteNumber("trackingRegret", t.Regret);
        w.WriteNumber("trackingRegretStderr", t.RegretStdErr);
        if (t.MedianRecovery is double m) w.WriteNumber("medianRecoverySteps", m);
        else w.WriteNull("medianRecoverySteps");
        if (double.IsNaN(t.NeverRecovered)) w.WriteNull("neverRecovered");
        else w.WriteNumber("neverRecovered", t.NeverRecovered);
        w.WriteNumber("switches", t.Switches);
        w.WriteNumber("recoveryCurveFirstOffset", -RecoveryStats.Before);
        w.WriteStartArray("recoveryCurve");
        foreach (var v in t.Curve)
        {
            if (double.IsFinite(v)) w.WriteNumberValue(v);
            else w.WriteNullValue();
        }
        w.WriteEndArray();
    }

    private static char Block(double v, double lo, double hi)
    {
        const string blocks = "▁▂▃▄▅▆▇█";
        if (!double.IsFinite(v)) return ' ';
        int i = hi > lo ? (int)Math.Round((v - lo) / (hi - lo) * (blocks.Length - 1)) : blocks.Length - 1;
        return blocks[Math.Clamp(i, 0, blocks.Length - 1)];
    }

    private static double Mean(double[] xs, int start, int count)
    {
        double sum = 0;
        int n = 0;
        for (int i = start; i < start + count && i < xs.Length; i++)
            if (double.IsFinite(xs[i])) { sum += xs[i]; n++; }
        return n == 0 ? double.NaN : sum / n;
    }

    private static string F(double v, int decimals) => double.IsFinite(v) ? v.ToString("F" + decimals, CultureInfo.InvariantCulture) : "—";
}
