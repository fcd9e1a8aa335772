using System.CommandLine;
using System.Globalization;
using MetaRL.Load;
using static MetaRL.Load.LoadSimulation;

namespace MetaRL.Host.Load;

/// <summary>
/// <c>metarl load &lt;scenario&gt;</c>: a load run of the population's inference path with NBomber's vocabulary
/// (MetaRL.Load): per-step counts, RPS and latency percentiles, Markdown and CSV reports, and thresholds that make the
/// process exit 1 when one fails. Scenarios so far: <c>ramp</c> (0 → agents over up to 2 minutes, then hold) and
/// <c>steady</c> (all agents for the whole duration), both closed-model, on <see cref="ActLoad"/>.
/// </summary>
internal static class LoadCommand
{
    public static readonly string[] Scenarios = ["ramp", "steady"];

    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = $"What load to run: {string.Join(", ", Scenarios)}." };
        var agents = new Option<int>("--agents") { Description = "Agents (concurrent copies) at full load.", DefaultValueFactory = _ => 4096, HelpName = "n" };
        var duration = new Option<string>("--duration") { Description = "How long the load lasts: 60s, 2m, 90 (seconds).", DefaultValueFactory = _ => "60s", HelpName = "time" };
        var batchers = new Option<int>("--batchers") { Description = "Inference batchers the agents are spread over.", DefaultValueFactory = _ => 1, HelpName = "n" };
        var hidden = new Option<int>("--hidden") { Description = "GRU units of the policy.", DefaultValueFactory = _ => 64, HelpName = "units" };
        var maxBatch = new Option<int>("--max-batch") { Description = "Rows of a forward pass at most (async batching).", DefaultValueFactory = _ => 1024, HelpName = "rows" };
        var maxWait = new Option<double>("--max-wait-ms") { Description = "How long a batcher waits for a batch to fill.", DefaultValueFactory = _ => 2, HelpName = "ms" };
        var report = new Option<string?>("--report") { Description = "Folder to write the report to (load.md, load.csv, load-timeline.csv).", HelpName = "dir" };
        var sampleEvery = new Option<string>("--sample-every") { Description = "How often the figures over time are sampled (load-timeline.csv).", DefaultValueFactory = _ => "1s", HelpName = "time" };
        var thresholds = new Option<string[]>("--threshold")
        {
            Description = "A check that fails the run (exit 1), e.g. 'p99(act)<50ms', 'failed=0', 'rps(act)>10000'; repeatable.",
            HelpName = "expr",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("load", "Put the inference path under a controlled load and report latency percentiles, throughput and failures.");
        command.Arguments.Add(scenario);
        foreach (var o in new Option[] { agents, duration, batchers, hidden, maxBatch, maxWait, report, sampleEvery, thresholds }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(agents), parse.GetValue(duration)!, parse.GetValue(batchers), parse.GetValue(hidden),
            parse.GetValue(maxBatch), parse.GetValue(maxWait), parse.GetValue(report), parse.GetValue(sampleEvery)!, parse.GetValue(thresholds) ?? [],
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string name, int agents, string durationText, int batchers, int hidden, int maxBatch, double maxWaitMs, string? reportDir,
        string sampleText, string[] thresholdTexts, TextWriter stdout, TextWriter stderr)
    {
        IReadOnlyList<LoadSimulation> load;
        TimeSpan every;
        Threshold[] thresholds;
        try
        {
            if (agents is < 1 or > 10_000_000) throw new ArgumentException($"--agents {agents}: expected a whole number from 1 to 10000000");
            if (batchers < 1 || batchers > agents) throw new ArgumentException($"--batchers {batchers}: expected 1 to --agents ({agents})");
            if (hidden is < 1 or > 4096) throw new ArgumentException($"--hidden {hidden}: expected 1 to 4096");
            if (maxBatch < 1) throw new ArgumentException($"--max-batch {maxBatch}: expected 1 or more");
            if (!double.IsFinite(maxWaitMs) || maxWaitMs <= 0) throw new ArgumentException($"--max-wait-ms {maxWaitMs}: expected a number of milliseconds > 0");
            var duration = Duration("--duration", durationText);
            every = Duration("--sample-every", sampleText);
            thresholds = thresholdTexts.Select(t =>
            {
                try
                {
                    return Threshold.Parse(t);
                }
                catch (FormatException e)
                {
                    throw new ArgumentException($"--{e.Message}");
                }
            }).ToArray();
            load = name switch
            {
                "ramp" => Ramp(agents, duration),
                "steady" => [new KeepConstant(agents, duration)],
                _ => throw new ArgumentException($"no scenario '{name}'; expected one of: {string.Join(", ", Scenarios)}"),
            };
            if (reportDir is not null) Directory.CreateDirectory(reportDir);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"metarl load: {e.Message}");
            return Program.UsageError;
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load {name}: {Describe(load)}; {agents:N0} agents on {batchers} batcher(s), GRU-{hidden}, async batching (max {maxBatch} rows, {maxWaitMs} ms)"));
        LoadResult result;
        using (var act = new ActLoad(agents, batchers, hidden, maxBatch, TimeSpan.FromMilliseconds(maxWaitMs)))
            result = LoadRunner.RunAsync(new Scenario(name, act.Trial, load), sampleEvery: every).GetAwaiter().GetResult();
        var markdown = LoadReport.Markdown(result);
        stdout.Write(markdown);
        var (verdict, passed) = LoadReport.Verdict(thresholds, result.Steps);
        if (reportDir is not null)
        {
            try
            {
                File.WriteAllText(Path.Combine(reportDir, "load.md"), markdown + Environment.NewLine + verdict + Environment.NewLine);
                File.WriteAllText(Path.Combine(reportDir, "load.csv"), LoadReport.Csv([result]));
                File.WriteAllText(Path.Combine(reportDir, "load-timeline.csv"), LoadReport.TimelineCsv(result));
                stdout.WriteLine($"report: {Path.Combine(reportDir, "load.md")}, load.csv, load-timeline.csv");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"metarl load: the report could not be written to {reportDir}: {e.Message}");
            }
        }
        stdout.WriteLine(verdict);
        return passed ? 0 : Program.RunFailed;
    }

    /// <summary>0 → agents over half the time (two minutes at most), then hold, as the issue's ramp asks (2 minutes, then hold).</summary>
    private static LoadSimulation[] Ramp(int agents, TimeSpan duration)
    {
        var ramp = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(2).Ticks, duration.Ticks / 2));
        return [new RampingConstant(agents, ramp), new KeepConstant(agents, duration - ramp)];
    }

    private static string Describe(IReadOnlyList<LoadSimulation> load) => string.Join(", then ", load.Select(s => s switch
    {
        RampingConstant r => string.Create(CultureInfo.InvariantCulture, $"ramping to {r.Copies:N0} agents over {r.During.TotalSeconds:0.#} s"),
        KeepConstant k => string.Create(CultureInfo.InvariantCulture, $"{k.Copies:N0} agents for {k.During.TotalSeconds:0.#} s"),
        _ => s.ToString(),
    }));

    /// <summary>"60s", "2m", "1h", "90" (seconds).</summary>
    public static TimeSpan Duration(string option, string text)
    {
        var t = text.Trim();
        double scale = t.EndsWith("ms", StringComparison.Ordinal) ? 0.001 : t.EndsWith('s') ? 1 : t.EndsWith('m') ? 60 : t.EndsWith('h') ? 3600 : 1;
        var number = t.TrimEnd('s', 'm', 'h');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value * scale < 1 || value * scale > 7 * 86400)
            throw new ArgumentException($"{option} '{text}': expected a time from 1 s to 7 days, e.g. 60s, 2m or 90");
        return TimeSpan.FromSeconds(value * scale);
    }
}
