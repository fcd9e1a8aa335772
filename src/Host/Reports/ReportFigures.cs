using System.Text.Json.Nodes;
using ScottPlot;

namespace MetaRL.Host.Reports;

/// <summary>
/// The report's two figures for papers, as PNG files (ScottPlot on SkiaSharp): the learning curve (mean trial score
/// by update, each run, with the baselines' held-out scores as dashed lines) and the adaptation curve on held-out
/// tasks (the learner and every baseline, ± one standard error as bands). The HTML has the same curves, and more.
/// </summary>
internal static class ReportFigures
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];
    private const int Width = 900, Height = 560;

    /// <summary>Writes the figures beside <paramref name="htmlFile"/> (<c>report-learning.png</c>, <c>report-adaptation.png</c>) and returns their paths.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<RunReport> runs, string htmlFile)
    {
        string stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(htmlFile))!, Path.GetFileNameWithoutExtension(htmlFile));
        var written = new List<string>();
        string learning = stem + "-learning.png";
        Learning(runs).SavePng(learning, Width, Height);
        written.Add(learning);
        if (Adaptation(runs) is { } adaptation)
        {
            string file = stem + "-adaptation.png";
            adaptation.SavePng(file, Width, Height);
            written.Add(file);
        }
        return written;
    }

    private static Plot Learning(IReadOnlyList<RunReport> runs)
    {
        var plot = new Plot();
        var colors = new BaselineColors();
        for (int i = 0; i < runs.Count; i++)
        {
            var table = MetricsTable.Parse(runs[i].Metrics);
            var line = Line(plot, table["update"]!, table["mean_score"]!, Palette[i % Palette.Length], 2);
            line.LegendText = Label(runs, i, "mean trial score");
            if (TestSplit(runs[i]) is not { } split) continue;
            bool learner = true;
            foreach (var r in Results(split))
            {
                var reference = plot.Add.HorizontalLine((double)r["mean"]!);
                reference.Color = Color.FromHex(learner ? Palette[i % Palette.Length] : colors.For((string)r["policy"]!));
                reference.LinePattern = learner ? LinePattern.Dotted : LinePattern.Dashed;
                learner = false;
                reference.LineWidth = 1.2f;
                reference.LegendText = Label(runs, i, $"{r["policy"]} (held-out {(double)r["mean"]!:0.00})");
            }
        }
        plot.Title("Learning curve: mean trial score by update");
        plot.XLabel("update");
        plot.YLabel("mean trial score");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static Plot? Adaptation(IReadOnlyList<RunReport> runs)
    {
        var plot = new Plot();
        var colors = new BaselineColors();
        bool any = false;
        for (int i = 0; i < runs.Count; i++)
        {
            if (TestSplit(runs[i]) is not { } split) continue;
            string splitName = (string)split["split"]!;
            int index = 0;
            foreach (var r in Results(split))
            {
                bool learner = index++ == 0;
                // eval.json of builds before the baselines' curves has the learner's curve only, under "rl2".
                var curve = r["episodes"] ?? (learner ? split["rl2"]?["episodes"] : null);
                if (curve is not JsonArray episodes || episodes.Count == 0) continue;
                double[] xs = Enumerable.Range(1, episodes.Count).Select(k => (double)k).ToArray();
                double[] mean = episodes.Select(p => (double)p![0]!).ToArray();
                double[] se = episodes.Select(p => (double)p![1]!).ToArray();
                string color = learner ? Palette[i % Palette.Length] : colors.For((string)r["policy"]!);
                var band = plot.Add.FillY(xs, mean.Zip(se, (m, s) => m - s).ToArray(), mean.Zip(se, (m, s) => m + s).ToArray());
                band.FillColor = Color.FromHex(color).WithAlpha(0.15);
                band.LineWidth = 0;
                var line = Line(plot, xs, mean, color, learner ? 2.2f : 1.2f);
                if (!learner) line.LinePattern = LinePattern.Dashed;
                line.LegendText = Label(runs, i, (string)r["policy"]!);
                any = true;
            }
            plot.Title($"Adaptation curve on {splitName} tasks: mean return of episode k of a trial (± s.e.)");
        }
        if (!any) return null;
        plot.XLabel("episode of the trial");
        plot.YLabel("mean return");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static ScottPlot.Plottables.Scatter Line(Plot plot, double[] xs, double[] ys, string color, float width)
    {
        // NaN cells (an update without a score) are left out rather than breaking the line's scale.
        var keep = Enumerable.Range(0, Math.Min(xs.Length, ys.Length)).Where(k => double.IsFinite(xs[k]) && double.IsFinite(ys[k])).ToArray();
        var line = plot.Add.Scatter(keep.Select(k => xs[k]).ToArray(), keep.Select(k => ys[k]).ToArray());
        line.Color = Color.FromHex(color);
        line.LineWidth = width;
        line.MarkerSize = 0;
        return line;
    }

    private static string Label(IReadOnlyList<RunReport> runs, int i, string what) => runs.Count > 1 ? $"{what} · {runs[i].Name}" : what;

    /// <summary>The held-out (test) split of the run's evaluation (eval.json before study.json), if it was evaluated.</summary>
    private static JsonObject? TestSplit(RunReport run) =>
        run.Evaluations.Select(e => e["splits"]!.AsArray().OfType<JsonObject>().FirstOrDefault(s => ((string?)s["split"])?.StartsWith("test", StringComparison.Ordinal) == true))
            .FirstOrDefault(s => s is not null);

    private static IEnumerable<JsonObject> Results(JsonObject split) => split["results"]!.AsArray().OfType<JsonObject>();

    /// <summary>One colour per baseline across both figures, as the page does: the oracles black, Random grey.</summary>
    private sealed class BaselineColors
    {
        private readonly Dictionary<string, string> _given = new() { ["Oracle"] = "#000000", ["Tracking oracle"] = "#000000", ["Random"] = "#9e9e9e" };
        private int _next = 2;

        public string For(string policy) => _given.TryGetValue(policy, out var c) ? c : _given[policy] = Palette[_next++ % Palette.Length];
    }
}
