using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace MetaRL.Host.Training;

/// <summary>
/// <c>metarl runs</c>: the runs under <c>--runs</c>, each with its status (running, complete, incomplete and why),
/// updates done of planned, its held-out score (from <c>eval.json</c>, if evaluated) and its wall time.
/// </summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var runs = new Option<string>("--runs") { Description = "Folder that holds run folders.", DefaultValueFactory = _ => "runs", HelpName = "dir" };
        var command = new Command("runs", "List the runs with their status, updates, held-out score and wall time.");
        command.Options.Add(runs);
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            string dir = parse.GetValue(runs)!;
            if (File.Exists(dir))
            {
                stderr.WriteLine($"metarl runs: --runs '{dir}' is a file; it should name the folder that holds run folders");
                return Program.UsageError;
            }
            var rows = Directory.Exists(dir)
                ? Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal).Select(d => new RunFolder(d)).Where(r => r.HoldsRun).ToList()
                : [];
            if (rows.Count == 0)
            {
                stdout.WriteLine($"no runs under '{dir}' (metarl train <config> starts one)");
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var c in new[] { "Run", "Status", "Updates", "Held-out score", "Wall time" }) table.AddColumn(c);
            foreach (var run in rows)
            {
                RunStatus? status;
                try
                {
                    status = RunStatus.Read(run);
                }
                catch (ArgumentException e)
                {
                    table.AddRow(Markup.Escape(run.Name), Markup.Escape(e.Message), "", "", "");
                    continue;
                }
                string state = status?.Describe(run.IsLocked()) ?? "no run.json (made by an older metarl)";
                string updates = status is null ? "" : $"{status.Update}/{status.Updates}";
                string wall = status is null ? "" : TimeSpan.FromSeconds(status.WallSeconds).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
                table.AddRow(Markup.Escape(run.Name), Markup.Escape(state), updates, HeldOutScore(run), wall);
            }
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout), Interactive = InteractionSupport.No });
            console.Profile.Width = Math.Max(console.Profile.Width, 160);
            console.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>The trained learner's mean score on held-out (test) tasks in the run's last evaluation, or "—".</summary>
    private static string HeldOutScore(RunFolder run)
    {
        if (!File.Exists(run.EvaluationFile)) return "—";
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(run.EvaluationFile));
            // A MAML or Reptile run's: the held-out return after its last inner step.
            if (doc.RootElement.TryGetProperty("adaptation", out var steps) && steps.GetArrayLength() > 0)
            {
                var last = steps[steps.GetArrayLength() - 1];
                return string.Create(CultureInfo.InvariantCulture, $"{last[0].GetDouble():0.###} ± {last[1].GetDouble():0.###} (after {steps.GetArrayLength() - 1} steps)");
            }
            foreach (var split in doc.RootElement.GetProperty("splits").EnumerateArray())
                if (split.GetProperty("split").GetString() == "test")
                {
                    var rl2 = split.GetProperty("rl2");
                    return string.Create(CultureInfo.InvariantCulture, $"{rl2.GetProperty("mean").GetDouble():0.###} ± {rl2.GetProperty("stderr").GetDouble():0.###}");
                }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "eval.json unreadable";
        }
        return "—";
    }
}
