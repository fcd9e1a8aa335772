using System.CommandLine;
using MetaRL.Host.Training;

namespace MetaRL.Host.Reports;

/// <summary>
/// <c>metarl report &lt;run&gt;… [--out FILE] [--png]</c>: one self-contained HTML page of one or several runs (their
/// curves overlaid): learning curves by update and by wall time beside the baselines' held-out scores, adaptation and
/// recovery curves from eval.json and study.json, the population's throughput, batching, lag, faults and nodes, the
/// config and the status. <c>--png</c> adds the learning and adaptation curves as images for papers.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var runsArg = new Argument<string[]>("run") { Description = "Run folders (runs/<name>) or run names; several are overlaid.", Arity = ArgumentArity.OneOrMore };
        var runs = new Option<string>("--runs") { Description = "Folder that holds run folders.", DefaultValueFactory = _ => "runs", HelpName = "dir" };
        var output = new Option<string?>("--out")
        {
            Description = "The HTML file to write (default: report.html in the run's folder; with several runs, report.html here).",
            HelpName = "file",
        };
        var png = new Option<bool>("--png") { Description = "Also write the learning and adaptation curves as PNG files beside the HTML (<name>-learning.png, <name>-adaptation.png)." };
        var command = new Command("report", "Write a self-contained HTML report (and PNG figures) of one or several runs.");
        command.Arguments.Add(runsArg);
        foreach (var o in new Option[] { runs, output, png }) command.Options.Add(o);
        command.SetAction(parse => Write(parse.GetValue(runsArg)!, parse.GetValue(runs)!, parse.GetValue(output), parse.GetValue(png),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Write(string[] runRefs, string runsDir, string? output, bool png, TextWriter stdout, TextWriter stderr)
    {
        var reports = new List<RunReport>();
        var folders = new List<RunFolder>();
        try
        {
            foreach (var runRef in runRefs)
            {
                var run = RunFolder.Open(runRef, runsDir);
                if (folders.Any(f => f.Name == run.Name)) throw new ArgumentException($"run {run.Name} is named twice");
                folders.Add(run);
                reports.Add(RunReport.Read(run));
            }
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"metarl report: {e.Message}");
            return Program.UsageError;
        }
        string file = Path.GetFullPath(output ?? (reports.Count == 1 ? Path.Combine(folders[0].Path, "report.html") : "report.html"));
        string title = $"MetaRL report: {string.Join(" vs ", reports.Select(r => r.Name))}";
        IReadOnlyList<string> figures = [];
        try
        {
            if (Directory.Exists(file)) throw new IOException("it is a folder");
            if (!Directory.Exists(Path.GetDirectoryName(file))) throw new IOException($"the folder {Path.GetDirectoryName(file)} does not exist");
            var tmp = file + ".tmp";
            File.WriteAllText(tmp, ReportPage.Render(title, reports));
            File.Move(tmp, file, overwrite: true);
            if (png) figures = ReportFigures.Write(reports, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"metarl report: cannot write --out '{file}': {e.Message}");
            return Program.UsageError;
        }
        foreach (var note in reports.SelectMany(r => r.Notes)) stderr.WriteLine($"metarl report: {note}");
        foreach (var (r, folder) in reports.Zip(folders).Where(p => p.Item1.Evaluations.Count == 0 && !File.Exists(p.Item2.EvaluationFile)))
            stderr.WriteLine($"metarl report: run {r.Name} is not evaluated yet; `metarl eval {folder.Path}` adds the baselines and the adaptation curves");
        stdout.WriteLine($"report of {string.Join(", ", reports.Select(r => $"{r.Name} ({r.Updates} updates)"))}: {file}");
        foreach (var f in figures) stdout.WriteLine($"figure: {f}");
        return 0;
    }
}
