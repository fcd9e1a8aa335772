using System.CommandLine;
using System.Globalization;
using MetaRL.Actors.Population;
using Spectre.Console;

namespace MetaRL.Host.Training;

/// <summary>
/// <c>metarl train &lt;config.json&gt;</c>: meta-trains RL² with a population of actors, writing
/// <c>runs/&lt;name&gt;/</c> (config.json, metrics.csv, weights.bin). Progress goes to stderr: a bar with an ETA
/// on a terminal, one line every few seconds otherwise, so logs stay readable.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "A training config, e.g. config/bandits-k5-n100.json." };
        var set = new Option<string[]>("--set") { Description = "Override a config key, e.g. --set ppo.clip=0.2 --set population.agents=512.", HelpName = "key=value", AllowMultipleArgumentsPerToken = false };
        var runs = new Option<string>("--runs") { Description = "Folder that holds run folders.", DefaultValueFactory = _ => "runs", HelpName = "dir" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an earlier run of the same name." };

        var command = new Command("train", "Meta-train RL² on a task distribution with a population of agent actors.");
        command.Arguments.Add(config);
        foreach (var o in new Option[] { set, runs, overwrite }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            TrainConfig cfg;
            RunFolder run;
            try
            {
                cfg = TrainConfigLoader.Load(parse.GetValue(config)!, parse.GetValue(set) ?? []);
                TrainingSetup.From(cfg); // fails fast on an env the trainer cannot take
                run = RunFolder.Create(parse.GetValue(runs)!, cfg.Name, parse.GetValue(overwrite));
                File.WriteAllText(run.ConfigFile, TrainConfigLoader.ToJson(cfg));
            }
            catch (ArgumentException e)
            {
                stderr.WriteLine($"metarl train: {e.Message}");
                return Program.UsageError;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"metarl train: cannot write the run folder under '{parse.GetValue(runs)}': {e.Message}");
                return Program.UsageError;
            }
            stdout.WriteLine($"training {cfg.Name}: {cfg.Env.Name}, {cfg.Population.Agents} agents, {cfg.Updates} updates; run folder {run.Path}");
            TrainOutcome outcome;
            try
            {
                outcome = RunWithProgress(cfg, run, stderr);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"metarl train: cannot write the run folder '{run.Path}': {e.Message}");
                return Program.RunFailed;
            }
            if (outcome.Failure is { } failure)
            {
                string kept = outcome.SaveError is null
                    ? $"weights of update {outcome.PolicyVersion} kept in {run.WeightsFile}"
                    : $"the weights could not be saved either ({outcome.SaveError})";
                stderr.WriteLine($"metarl train: the run failed after {outcome.PolicyVersion} of {cfg.Updates} updates: {failure}; {kept}; log {run.LogFile}");
                return Program.RunFailed;
            }
            if (outcome.SaveError is { } saveError)
            {
                stderr.WriteLine($"metarl train: the weights could not be saved: {saveError}");
                return Program.RunFailed;
            }
            stdout.WriteLine($"stopped: {outcome.StopReason}; {outcome.PolicyVersion} updates in {outcome.Elapsed.TotalMinutes:0.0} min" +
                (outcome.SkippedUpdates > 0 ? $", {outcome.SkippedUpdates} skipped as not finite" : "") +
                $"; weights {run.WeightsFile}; metrics {run.MetricsFile}");
            stdout.WriteLine($"next: metarl eval {run.Path}");
            return outcome.SignalExitCode ?? 0;
        });
        return command;
    }

    private static TrainOutcome RunWithProgress(TrainConfig cfg, RunFolder run, TextWriter stderr)
    {
        bool terminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        if (!terminal)
        {
            var lastLine = DateTime.MinValue;
            return TrainRun.Run(cfg, run, stderr, p =>
            {
                if (p.Update.Version < cfg.Updates && DateTime.UtcNow - lastLine < TimeSpan.FromSeconds(5)) return;
                lastLine = DateTime.UtcNow;
                stderr.WriteLine(ProgressLine(p, cfg.Updates));
            });
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        TrainOutcome? outcome = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("updates", maxValue: cfg.Updates);
                outcome = TrainRun.Run(cfg, run, stderr, p =>
                {
                    task.Value = p.Update.Version;
                    task.Description = Markup.Escape(ProgressLine(p, cfg.Updates));
                });
            });
        return outcome!;
    }

    /// <summary>One line of progress: update, score, throughput, losses, lag and faults.</summary>
    public static string ProgressLine(PopulationProgress p, int updates)
    {
        var u = p.Update;
        double sps = p.EnvSteps / Math.Max(p.Elapsed.TotalSeconds, 1e-9);
        return string.Create(CultureInfo.InvariantCulture,
            $"update {u.Version}/{updates}  score {u.MeanScore:0.00}  {sps:0} steps/s  pg {u.PolicyLoss:0.000}  vf {u.ValueLoss:0.000}  " +
            $"ent {u.Entropy:0.000}  lag {u.MeanPolicyLag:0.0}  faults {p.Faults}{(u.Skipped ? "  SKIPPED: " + u.SkipReason : "")}");
    }
}
