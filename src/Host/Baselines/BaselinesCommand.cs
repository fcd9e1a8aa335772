using System.CommandLine;
using System.CommandLine.Parsing;
using MetaRL.Environments.Tasks;
using Spectre.Console;

namespace MetaRL.Host.Baselines;

/// <summary>
/// <c>metarl baselines</c>: runs the classical baselines on one env family's test tasks and prints mean score
/// ± standard error per baseline, beside the RL² paper's figure where the setup is one of the paper's.
/// </summary>
internal static class BaselinesCommand
{
    private const int MaxArms = 1000;
    private const int MaxPulls = 1000;      // the Gittins table's cost grows with the trial length
    private const int MaxEpisodes = 1000;
    private const int MaxStates = 100;
    private const int MaxActions = 100;
    private const int MaxHorizon = 1000;
    private const int MaxTrials = 1_000_000;   // scores are kept per trial and baseline: 64 MB at the cap

    public static Command Create()
    {
        var env = new Option<string>("--env")
        {
            Description = $"Env family: any of the catalog's (with --extension, yours); classical suites for {string.Join(", ", WithBaselines())}; for the others, random actions.",
            HelpName = "name",
        };
        var arms = new Option<int>("--arms") { Description = "Bandit arms k.", DefaultValueFactory = _ => 5, HelpName = "k" };
        var pulls = new Option<int>("--pulls") { Description = "Pulls per bandit trial n.", DefaultValueFactory = _ => 100, HelpName = "n" };
        var episodes = new Option<int>("--episodes") { Description = "Episodes per trial n, for the families that are not bandits (default: the family's, 10 for tabular MDPs and Dark Room).", HelpName = "n" };
        var states = new Option<int>("--states") { Description = "States of the tabular MDPs.", DefaultValueFactory = _ => 10 };
        var actions = new Option<int>("--actions") { Description = "Actions of the tabular MDPs.", DefaultValueFactory = _ => 5 };
        var horizon = new Option<int>("--horizon") { Description = "Steps per episode, for the families with a time limit (default: the family's, 10 for tabular MDPs, 20 for Dark Room)." };
        var trials = new Option<int>("--trials") { Description = "Trials per baseline (the same tasks for every baseline).", DefaultValueFactory = _ => 1000, HelpName = "count" };
        var seed = new Option<int>("--seed") { Description = "Run seed; the same seed prints the same output.", DefaultValueFactory = _ => 0 };
        var split = new Option<string>("--split") { Description = "Task split: train, test (held out) or ood.", DefaultValueFactory = _ => "test" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (results do not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var schedule = new Option<string?>("--schedule") { Description = $"Make tasks change within a trial: {Environments.NonStationary.ScheduleSpec.Forms}.", HelpName = "schedule" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {\"env\", …, \"results\": [{\"policy\", \"mean\", \"stderr\"}]} and nothing else on stdout." };

        var command = new Command("baselines", "Score the classical baselines (Gittins, UCB1, TS, PSRL, …) on an env family's held-out tasks.");
        foreach (var o in new Option[] { env, arms, pulls, episodes, states, actions, horizon, trials, seed, split, threads, schedule, json })
            command.Options.Add(o);

        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var error = Validate(parse, env, arms, pulls, episodes, states, actions, horizon, trials, threads, split, schedule, out var settings);
            if (error is not null)
            {
                stderr.WriteLine($"metarl baselines: {error}");
                return Program.UsageError;
            }
            settings = settings! with { Seed = parse.GetValue(seed), Json = parse.GetValue(json) };
            var report = RunWithProgress(settings, stderr);
            if (settings.Json) BaselinesOutput.WriteJson(report, stdout);
            else BaselinesOutput.WriteTable(report, stdout);
            return 0;
        });
        return command;
    }

    // One place for every check, so that each error names its option and what is allowed.
    private static string? Validate(ParseResult parse, Option<string> env, Option<int> arms, Option<int> pulls, Option<int> episodes,
        Option<int> states, Option<int> actions, Option<int> horizon, Option<int> trials, Option<int> threads, Option<string> split,
        Option<string?> schedule, out BaselinesSettings? settings)
    {
        settings = null;
        string? name = parse.GetValue(env);
        string allowedEnvs = string.Join(", ", Environments.EnvCatalog.Names);
        if (string.IsNullOrEmpty(name)) return $"--env is required; allowed: {allowedEnvs}";
        if (!Environments.EnvCatalog.TryGet(name, out var family)) return $"--env '{name}' is not a known env; allowed: {allowedEnvs}";
        name = family.Name;

        // A value not given is the option's default or the family's, both in range.
        string? InRange(Option<int> o, int min, int max)
        {
            if (!Given(o)) return null;
            int v = parse.GetValue(o);
            return v < min || v > max ? $"{o.Name} must be an integer from {min} to {max}, got {v}" : null;
        }
        bool Given(Option o) => parse.GetResult(o) is { Implicit: false };

        // Each env takes its trial length (--pulls or --episodes) and those of its catalog options this command has;
        // anything else is a misplaced intent, reported rather than silently ignored.
        var length = family.TrialLength == "pulls" ? pulls : episodes;
        var knobs = new Option<int>[] { arms, states, actions, horizon };
        var takes = new HashSet<string> { length.Name };
        foreach (var o in knobs)
            if (family.OptionNames.Contains(o.Name[2..])) takes.Add(o.Name);
        foreach (var o in new Option<int>[] { arms, pulls, episodes, states, actions, horizon })
            if (Given(o) && !takes.Contains(o.Name))
                return $"{o.Name} does not apply to --env {name}; it takes {string.Join(", ", takes.Order(StringComparer.Ordinal))}";

        var checks = new[]
        {
            InRange(arms, 1, MaxArms), InRange(pulls, 1, MaxPulls), InRange(episodes, 1, MaxEpisodes), InRange(states, 1, MaxStates),
            InRange(actions, 1, MaxActions), InRange(horizon, 1, MaxHorizon), InRange(trials, 1, MaxTrials), InRange(threads, 1, 256),
        };
        if (checks.FirstOrDefault(c => c is not null) is { } rangeError) return rangeError;

        string splitName = parse.GetValue(split) ?? "test";
        if (!Enum.TryParse<TaskSplit>(splitName, ignoreCase: true, out var taskSplit) || !Enum.IsDefined(taskSplit) || int.TryParse(splitName, out _))
            return $"--split '{splitName}' is not a split; allowed: train, test, ood";

        Environments.NonStationary.ScheduleSpec? spec = null;
        if (parse.GetValue(schedule) is { } text)
        {
            if (!family.HasTrackingBaselines)
                return $"--schedule needs a family with tracking baselines ({string.Join(", ", Environments.EnvCatalog.All.Where(f => f.HasTrackingBaselines).Select(f => f.Name))}); {name} has none";
            if (Studies.ScheduleOption.Parse(text, family, out spec) is { } scheduleError) return scheduleError;
        }

        // Only the knobs given reach the family: the others keep its defaults (the published setup).
        int? Knob(Option<int> o) => Given(o) ? parse.GetValue(o) : null;
        settings = new BaselinesSettings
        {
            Schedule = spec,
            Env = name,
            Options = new Environments.EnvOptions(Arms: Knob(arms), States: Knob(states), Actions: Knob(actions), Horizon: Knob(horizon)),
            Episodes = Given(length) ? parse.GetValue(length) : family.EpisodesPerTrial,
            Trials = parse.GetValue(trials),
            Threads = parse.GetValue(threads),
            Split = taskSplit,
        };
        return null;
    }

    private static IEnumerable<string> WithBaselines() => Environments.EnvCatalog.All.Where(f => f.HasBaselines).Select(f => f.Name);

    // Progress goes to stderr, and only when stderr is a terminal: piped output and logs stay clean.
    private static BaselinesReport RunWithProgress(BaselinesSettings settings, TextWriter stderr)
    {
        bool terminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        if (!terminal) return BaselinesRun.Run(settings);

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        BaselinesReport? report = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                report = BaselinesRun.Run(settings, (policy, total) =>
                {
                    var task = ctx.AddTask(policy, maxValue: total);
                    return n => task.Increment(n);
                });
            });
        return report!;
    }
}
