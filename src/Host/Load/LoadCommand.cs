using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using MetaRL.Load;

namespace MetaRL.Host.Load;

/// <summary>
/// <c>metarl load &lt;scenario&gt;</c>: a load run of the population with NBomber's vocabulary (MetaRL.Load): per-step
/// counts, RPS and latency percentiles, figures over time and by phase, Markdown and CSV reports, and thresholds that
/// make the process exit 1 when one fails. The scenarios (<see cref="LoadScenarios"/>) run on <see cref="PopulationLoad"/>,
/// except <c>cluster-faults</c>, which runs a clustered training (<see cref="ClusterFaultsLoad"/>).
/// </summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario")
        {
            Description = "What load to run: " + string.Join("; ", LoadScenarios.All.Select(s => $"{s.Name} ({s.Summary})")) + ".",
        };
        var agents = new Option<int?>("--agents") { Description = "Agents at full load (the scenario's default: ramp, inject, soak 100,000; steady 4,096; million 1,000,000; faults 4,096; cluster-faults 256).", HelpName = "n" };
        var duration = new Option<string?>("--duration") { Description = "How long the load lasts: 60s, 2m, 90 (seconds); the scenario's default otherwise.", HelpName = "time" };
        var rate = new Option<int>("--rate") { Description = "inject: new agents a second at full load.", DefaultValueFactory = _ => 500, HelpName = "n" };
        var batchers = new Option<int?>("--batchers") { Description = "Inference batchers the agents are spread over (faults: 2, else 1).", HelpName = "n" };
        var hidden = new Option<int>("--hidden") { Description = "GRU units of the policy.", DefaultValueFactory = _ => 64, HelpName = "units" };
        var maxBatch = new Option<int>("--max-batch") { Description = "Rows of a forward pass at most (async batching).", DefaultValueFactory = _ => 1024, HelpName = "rows" };
        var maxWait = new Option<double>("--max-wait-ms") { Description = "How long a batcher waits for a batch to fill.", DefaultValueFactory = _ => 2, HelpName = "ms" };
        var noLearner = new Option<bool>("--no-learner") { Description = "Act only: no learner trains on the trials (the parameters stay at version 0)." };
        var trialsPerUpdate = new Option<int>("--trials-per-update") { Description = "The learner's trials per update.", DefaultValueFactory = _ => 256, HelpName = "n" };
        var report = new Option<string?>("--report") { Description = "Folder to write the report to (load.html, load.md, load.csv, load-timeline.csv, load-phases.csv).", HelpName = "dir" };
        var sampleEvery = new Option<string?>("--sample-every") { Description = "How often the figures over time are sampled (soak: 10s, else 1s).", HelpName = "time" };
        var thresholds = new Option<string[]>("--threshold")
        {
            Description = "A check that fails the run (exit 1), e.g. 'p99(act)<50ms', 'failed=0', 'rps(act)>10000', 'drift(resident)<5%'; repeatable.",
            HelpName = "expr",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("load", "Put the population under a controlled load and report latency percentiles, throughput, failures, and their course over time and under faults.");
        command.Arguments.Add(scenario);
        foreach (var o in new Option[] { agents, duration, rate, batchers, hidden, maxBatch, maxWait, noLearner, trialsPerUpdate, report, sampleEvery, thresholds }) command.Options.Add(o);
        command.SetAction(parse => Run(new LoadRequest(parse.GetValue(scenario)!, parse.GetValue(agents), parse.GetValue(duration), parse.GetValue(rate), parse.GetValue(batchers),
            parse.GetValue(hidden), parse.GetValue(maxBatch), parse.GetValue(maxWait), !parse.GetValue(noLearner), parse.GetValue(trialsPerUpdate), parse.GetValue(report),
            parse.GetValue(sampleEvery), parse.GetValue(thresholds) ?? []), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>The command line as given (nulls: the scenario's defaults).</summary>
    private sealed record LoadRequest(string Scenario, int? Agents, string? Duration, int Rate, int? Batchers, int Hidden, int MaxBatch, double MaxWaitMs, bool Learn,
        int TrialsPerUpdate, string? Report, string? SampleEvery, string[] Thresholds);

    private static int Run(LoadRequest request, TextWriter stdout, TextWriter stderr)
    {
        LoadScenario scenario;
        LoadPlan plan;
        PopulationLoadOptions options;
        TimeSpan every;
        Threshold[] thresholds;
        try
        {
            scenario = LoadScenarios.Named(request.Scenario)
                ?? throw new ArgumentException($"no scenario '{request.Scenario}'; expected one of: {string.Join(", ", LoadScenarios.All.Select(s => s.Name))}");
            int agents = request.Agents ?? scenario.Agents;
            int batchers = request.Batchers ?? scenario.Batchers;
            if (agents is < 1 or > 10_000_000) throw new ArgumentException($"--agents {agents}: expected a whole number from 1 to 10000000");
            if (batchers < 1 || batchers > agents) throw new ArgumentException($"--batchers {batchers}: expected 1 to --agents ({agents})");
            if (request.Hidden is < 1 or > 4096) throw new ArgumentException($"--hidden {request.Hidden}: expected 1 to 4096");
            if (request.MaxBatch < 1) throw new ArgumentException($"--max-batch {request.MaxBatch}: expected 1 or more");
            if (!double.IsFinite(request.MaxWaitMs) || request.MaxWaitMs <= 0) throw new ArgumentException($"--max-wait-ms {request.MaxWaitMs}: expected a number of milliseconds > 0");
            if (request.Rate is < 1 or > 1_000_000) throw new ArgumentException($"--rate {request.Rate}: expected 1 to 1000000 agents a second");
            if (request.TrialsPerUpdate < 1) throw new ArgumentException($"--trials-per-update {request.TrialsPerUpdate}: expected 1 or more");
            var duration = request.Duration is null ? scenario.Duration : Duration("--duration", request.Duration);
            every = request.SampleEvery is null ? scenario.DefaultSampleEvery : Duration("--sample-every", request.SampleEvery);
            thresholds = request.Thresholds.Select(t =>
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
            plan = LoadScenarios.Plan(scenario, agents, duration, request.Rate);
            options = new PopulationLoadOptions(agents, batchers, request.Hidden, request.MaxBatch, request.MaxWaitMs, request.Learn, request.TrialsPerUpdate);
            if (request.Report is not null) Directory.CreateDirectory(request.Report);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"metarl load: {e.Message}");
            return Program.UsageError;
        }
        if (scenario.Name == "cluster-faults") return RunCluster(request, options, plan, thresholds, stdout, stderr);
        // Ctrl+C or SIGTERM ends the load early and reports what it measured (a second Ctrl+C ends the process at once);
        // registered before the first line is printed, so that a signal after it is never lost.
        using var interrupted = new CancellationTokenSource();
        string? stoppedBy = null;
        void Stop(PosixSignalContext context, string signal)
        {
            if (interrupted.IsCancellationRequested) return;
            context.Cancel = true;
            stoppedBy = signal;
            interrupted.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, "SIGINT"));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, "SIGTERM"));
        var header = string.Create(CultureInfo.InvariantCulture,
            $"load {scenario.Name}: {plan.Describe()}; {(scenario.Open ? "at most " : "")}{options.Agents:N0} agents on {options.Batchers} batcher(s), GRU-{options.Hidden}, " +
            $"async batching (max {options.MaxBatch} rows, {options.MaxWaitMs} ms), {(options.Learn ? $"a PPO learner ({options.TrialsPerUpdate} trials an update)" : "no learner")}");
        var steps = new StepRecorder();
        LoadResult result;
        var notes = new List<string>();
        using (var population = new PopulationLoad(options, steps, plan.Faults))
        {
            stdout.WriteLine(header); // once the population is up: the load starts now
            var load = new Scenario(scenario.Name, population.Trial, plan.Load) { Phases = plan.Phases, Gauges = population.Gauges, WarmUp = plan.WarmUp };
            using var ended = new CancellationTokenSource();
            var killer = plan.Faults.FirstOrDefault(f => f.Value == LoadFault.BatcherKills).Key is { } killPhase
                ? population.KillBatchers(() => steps.Phase, killPhase, TimeSpan.FromMinutes(1), ended.Token)
                : Task.CompletedTask;
            result = LoadRunner.RunAsync(load, cancel: interrupted.Token, sampleEvery: every, recorder: steps).GetAwaiter().GetResult();
            ended.Cancel();
            killer.GetAwaiter().GetResult();
            if (stoppedBy is not null)
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"interrupted ({stoppedBy}) after {result.Duration.TotalSeconds:0.0} s: the figures are those of the load so far"));
            notes.AddRange(Notes(scenario, population, result));
        }
        var markdown = LoadReport.Markdown(result) + (scenario.Name == "faults" ? FaultEffects.Markdown(result) : "");
        int code = Finish(request, result, header, markdown, notes, thresholds, stdout, stderr);
        return stoppedBy switch { "SIGINT" => 130, "SIGTERM" => 143, _ => code }; // as shells report a stop by signal
    }

    /// <summary>cluster-faults: a clustered training on loopback whose node is killed a third of the way in (<see cref="ClusterFaultsLoad"/>).</summary>
    private static int RunCluster(LoadRequest request, PopulationLoadOptions options, LoadPlan plan, Threshold[] thresholds, TextWriter stdout, TextWriter stderr)
    {
        var duration = plan.Load.Sum(s => s.During.Ticks);
        var header = string.Create(CultureInfo.InvariantCulture,
            $"load cluster-faults: a clustered training of {options.Agents:N0} agents (GRU-{options.Hidden}) on 2 nodes on loopback for {TimeSpan.FromTicks(duration).TotalSeconds:0} s from its first update; the node is killed (SIGKILL) a third of the way in");
        stdout.WriteLine(header);
        var work = request.Report ?? Directory.CreateTempSubdirectory("metarl-cluster-faults-").FullName;
        LoadResult result;
        try
        {
            result = new ClusterFaultsLoad(options.Agents, TimeSpan.FromTicks(duration), options.Hidden, Path.Combine(work, "cluster"), stdout).Execute();
        }
        catch (InvalidOperationException e)
        {
            stderr.WriteLine($"metarl load: cluster-faults: {e.Message}");
            return Program.RunFailed;
        }
        finally
        {
            if (request.Report is null) TryDelete(work);
        }
        return Finish(request, result, header, LoadReport.Markdown(result), ClusterFaultsLoad.Notes(result).ToList(), thresholds, stdout, stderr);
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a temporary folder; the system's cleaner gets it
        }
    }

    private static IEnumerable<string> Notes(LoadScenario scenario, PopulationLoad population, LoadResult result)
    {
        var last = result.Samples.Count > 0 ? result.Samples[^1].Gauges : new Dictionary<string, double>();
        var steps = result.Steps.ToDictionary(s => s.Step);
        yield return string.Create(CultureInfo.InvariantCulture, $"peak resident memory: {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MB");
        if (population.Options.Learn && steps.TryGetValue("update", out var update))
            yield return string.Create(CultureInfo.InvariantCulture,
                $"learner: {update.Count:N0} updates ({update.Failed:N0} skipped as not finite), {steps.GetValueOrDefault("trial")?.Ok ?? 0:N0} trials trained on, {steps.GetValueOrDefault("trial")?.Failed ?? 0:N0} dropped as stale");
        if (last.GetValueOrDefault("batcher_restarts") is > 0 and var restarts)
            yield return string.Create(CultureInfo.InvariantCulture, $"batchers restarted: {restarts:N0} (every agent waiting on one asked again)");
        if (last.GetValueOrDefault("nan_rewards") is > 0 and var nans)
            yield return string.Create(CultureInfo.InvariantCulture, $"NaN rewards injected: {nans:N0}");
        if (!scenario.Open)
            yield return double.IsNaN(population.FirstRoundSeconds)
                ? string.Create(CultureInfo.InvariantCulture, $"first round: {last.GetValueOrDefault("agents_acted"):N0} of {population.Options.Agents:N0} agents had a reply before the load ended")
                : string.Create(CultureInfo.InvariantCulture, $"first round: every one of the {population.Options.Agents:N0} agents had its first reply {population.FirstRoundSeconds:0.0} s after the first request");
    }

    /// <summary>Prints the report, writes its files, checks the thresholds (the last line) and says the exit code.</summary>
    private static int Finish(LoadRequest request, LoadResult result, string header, string markdown, IReadOnlyList<string> notes, Threshold[] thresholds,
        TextWriter stdout, TextWriter stderr)
    {
        markdown += Environment.NewLine + string.Join(Environment.NewLine, notes) + Environment.NewLine;
        stdout.Write(markdown);
        var (verdict, passed) = LoadReport.Verdict(thresholds, result);
        if (request.Report is { } dir)
        {
            try
            {
                File.WriteAllText(Path.Combine(dir, "load.md"), markdown + Environment.NewLine + verdict + Environment.NewLine);
                File.WriteAllText(Path.Combine(dir, "load.csv"), LoadReport.Csv([result]));
                File.WriteAllText(Path.Combine(dir, "load-timeline.csv"), LoadReport.TimelineCsv(result));
                File.WriteAllText(Path.Combine(dir, "load-phases.csv"), LoadReport.PhasesCsv(result));
                File.WriteAllText(Path.Combine(dir, "load.html"), LoadPage.Render(result, header, notes, verdict));
                stdout.WriteLine($"report: {Path.Combine(dir, "load.html")}, load.md, load.csv, load-timeline.csv, load-phases.csv");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"metarl load: the report could not be written to {dir}: {e.Message}");
            }
        }
        stdout.WriteLine(verdict);
        return passed ? 0 : Program.RunFailed;
    }

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
