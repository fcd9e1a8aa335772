using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MetaRL.Host.Studies;
using Spectre.Console;

namespace MetaRL.Host.Baselines;

/// <summary>Writes a <see cref="BaselinesReport"/> as a table (Spectre.Console) or as one JSON object.</summary>
internal static class BaselinesOutput
{
    public static void WriteTable(BaselinesReport report, TextWriter stdout)
    {
        // A console over the given writer: plain text when it is not a terminal, so that piped output is
        // the same for the same seed (no colours, no width taken from the window).
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        bool anyPaper = report.Rows.Any(r => r.Paper is not null);
        bool tracking = report.Rows.Any(r => r.Tracking is not null);
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Policy");
        table.AddColumn(new TableColumn("Mean score").RightAligned());
        table.AddColumn(new TableColumn("± s.e.").RightAligned());
        if (anyPaper)
        {
            table.AddColumn(new TableColumn("RL² paper").RightAligned());
            table.AddColumn(new TableColumn("Δ").RightAligned());
        }
        if (tracking) TrackingOutput.AddColumns(table);
        foreach (var r in report.Rows)
        {
            var cells = new List<string> { Markup.Escape(r.Policy), F(r.Mean, 2), F(r.StdErr, 2) };
            if (anyPaper)
            {
                cells.Add(r.Paper is double p ? F(p, 1) : "");
                cells.Add(r.Paper is double q ? $"{(r.Mean - q) / q * 100:+0.0;-0.0;0.0} %" : "");
            }
            if (tracking) cells.AddRange(TrackingOutput.Cells(r.Tracking));
            table.AddRow(cells.ToArray());
        }
        stdout.WriteLine(report.Title); // straight to the writer: Spectre would wrap it at 80 columns
        console.Write(table);
        foreach (var r in report.Rows)
            stdout.WriteLine($"  {r.Policy}: {r.Settings}"); // straight to the writer, unwrapped, like the title
        if (tracking) TrackingOutput.WriteCurves(stdout, report.Rows.Where(r => r.Tracking is not null).Select(r => (r.Policy, r.Tracking!)).ToList());
    }

    public static void WriteJson(BaselinesReport report, TextWriter stdout)
    {
        using var stream = new MemoryStream();
        // Relaxed escaping keeps "ε-Greedy" readable; the output is UTF-8 JSON either way.
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("env", report.Env);
            foreach (var (key, value) in report.Config)
            {
                if (value is int i) w.WriteNumber(key, i);
                else w.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
            }
            w.WriteStartArray("results");
            foreach (var r in report.Rows)
            {
                w.WriteStartObject();
                w.WriteString("policy", r.Policy);
                w.WriteNumber("mean", r.Mean);
                w.WriteNumber("stderr", r.StdErr);
                if (r.Paper is double p) w.WriteNumber("paper", p);
                w.WriteString("settings", r.Settings);
                if (r.Tracking is { } t) TrackingOutput.WriteJson(w, t);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string F(double v, int decimals) => v.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
