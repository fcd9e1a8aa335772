using System.CommandLine;
using MetaRL.Host.Training;

namespace MetaRL.Host.Studies;

/// <summary>
/// <c>metarl study &lt;config&gt;</c>: a non-stationary study in one command. It trains the config (exactly as
/// <c>metarl train</c> does), or takes a trained run (<c>--run</c>), then evaluates the learner on held-out streams
/// under the run's schedule (or <c>--schedule</c>) beside the stationary and the tracking baselines, tuned on the train
/// split, and the tracking oracle: scores, tracking regret, recovery times and recovery curves, saved as
/// <c>runs/&lt;name&gt;/study.json</c>.
/// </summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var config = new Argument<string?>("config") { Description = "A training config with env.schedule or population.groups, e.g. config/bandits-k5-switching.json (not with --run).", Arity = ArgumentArity.ZeroOrOne };
        var run = new Option<string?>("--run") { Description = "Study a trained run (a run folder or name) instead of training one.", HelpName = "run" };
        var set = new Option<string[]>("--set") { Description = "Override a config key before training, e.g. --set updates=100.", HelpName = "key=value" };
        var runs = new Option<string>("--runs") { Description = "Folder that holds run folders.", DefaultValueFactory = _ => "runs", HelpName = "dir" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an earlier run of the same name before training." };
        var trials = new Option<int?>("--trials") { Description = "Held-out trials per split (default: the config's eval.trials).", HelpName = "count" };
        var seed = new Option<int>("--seed") { Description = "Evaluation seed; the same seed gives the same tasks and changes as metarl baselines --seed.", DefaultValueFactory = _ => 0 };
        var schedule = new Option<string?>("--schedule") { Description = $"Evaluate under this schedule instead of the run's: {Environments.NonStationary.ScheduleSpec.Forms}.", HelpName = "schedule" };
        var json = new Option<bool>("--json") { Description = "Print the study as one JSON object (as saved in study.json) instead of tables." };
        var fromScratch = new Option<bool>("--from-scratch") { Description = "Also train PPO from scratch on single held-out tasks: env steps to reach the learner's score on each, and the ratio to the steps it takes in context." };
        var scratchTasks = new Option<int>("--from-scratch-tasks") { Description = "Held-out tasks for --from-scratch.", DefaultValueFactory = _ => 10, HelpName = "count" };
        var scratchUpdates = new Option<int>("--from-scratch-updates") { Description = "PPO updates each --from-scratch task may take before it counts as not reached.", DefaultValueFactory = _ => 100, HelpName = "count" };

        var command = new Command("study", "Train (or take) an in-context learner and compare it with tracking baselines on held-out non-stationary tasks.");
        command.Arguments.Add(config);
        foreach (var o in new Option[] { run, set, runs, overwrite, trials, seed, schedule, json, fromScratch, scratchTasks, scratchUpdates }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            string? configPath = parse.GetValue(config), runRef = parse.GetValue(run);
            if ((configPath is null) == (runRef is null))
            {
                stderr.WriteLine("metarl study: give a config to train and study, or --run <run> to study a trained one (not both)");
                return Program.UsageError;
            }
            if (runRef is not null && (parse.GetValue(set) is { Length: > 0 } || parse.GetValue(overwrite)))
            {
                stderr.WriteLine("metarl study: --run studies a trained run as it is; --set and --overwrite apply only to training");
                return Program.UsageError;
            }
            if (parse.GetValue(scratchTasks) is < 1 or > 1000 || parse.GetValue(scratchUpdates) is < 1 or > 100_000)
            {
                stderr.WriteLine($"metarl study: --from-scratch-tasks must be from 1 to 1000 and --from-scratch-updates from 1 to 100000, got {parse.GetValue(scratchTasks)} and {parse.GetValue(scratchUpdates)}");
                return Program.UsageError;
            }
            var scratch = parse.GetValue(fromScratch) ? new FromScratchSettings(Tasks: parse.GetValue(scratchTasks), MaxUpdates: parse.GetValue(scratchUpdates)) : null;
            TrainConfig cfg;
            try
            {
                // A study is of tasks that change: fail before hours of training on a config without a schedule.
                cfg = configPath is not null
                    ? TrainConfigLoader.Load(configPath, parse.GetValue(set) ?? [])
                    : TrainConfigLoader.Load(RunFolder.Open(runRef!, parse.GetValue(runs)!).ConfigFile, []);
                if (cfg.Env.Schedule is null && cfg.Population.Groups is not { Count: > 0 } && parse.GetValue(schedule) is null)
                    throw new ArgumentException($"{configPath ?? runRef} has no env.schedule and no population.groups; a study needs tasks that change " +
                        "(set env.schedule, or give --schedule to evaluate under one)");
            }
            catch (ArgumentException e)
            {
                stderr.WriteLine($"metarl study: {e.Message}");
                return Program.UsageError;
            }
            if (configPath is not null)
            {
                // The same command line, the same code path: a study's training is a metarl train run.
                string[] trainArgs = [configPath, "--runs", parse.GetValue(runs)!, .. (parse.GetValue(set) ?? []).SelectMany(s => new[] { "--set", s }),
                    .. parse.GetValue(overwrite) ? new[] { "--overwrite" } : []];
                int trained = TrainCommand.Create().Parse(trainArgs).Invoke(parse.InvocationConfiguration);
                if (trained != 0) return trained;
                runRef = cfg.Name;
            }
            return EvalCommand.Evaluate(runRef!, parse.GetValue(runs)!, parse.GetValue(trials), parse.GetValue(seed), greedy: false, parse.GetValue(schedule),
                parse.GetValue(json), "study", r => r.StudyFile, stdout, stderr, scratch);
        });
        return command;
    }
}
