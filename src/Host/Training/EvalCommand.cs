using System.Globalization;
using System.CommandLine;
using MetaRL.Policies;

namespace MetaRL.Host.Training;

/// <summary>
/// <c>metarl eval &lt;run&gt;</c>: the run's frozen weights on held-out (test) and ood tasks, the adaptation
/// curve per episode of a trial, the classical baselines on the same tasks, and the train − test gap. The
/// result is also saved as <c>runs/&lt;name&gt;/eval.json</c>.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var runArg = new Argument<string>("run") { Description = "A run folder (runs/<name>) or a run name." };
        var runs = new Option<string>("--runs") { Description = "Folder that holds run folders.", DefaultValueFactory = _ => "runs", HelpName = "dir" };
        var trials = new Option<int?>("--trials") { Description = "Trials per split (default: the config's eval.trials).", HelpName = "count" };
        var seed = new Option<int>("--seed") { Description = "Evaluation seed: which tasks and env draws; the same seed gives the same tasks as metarl baselines --seed.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object and nothing else on stdout." };
        var greedy = new Option<bool>("--greedy") { Description = "The trained learner takes its most probable action instead of sampling one (baselines are unchanged)." };
        var schedule = new Option<string?>("--schedule") { Description = $"Evaluate under this non-stationary schedule instead of the run's env.schedule: {Environments.NonStationary.ScheduleSpec.Forms}.", HelpName = "schedule" };

        var command = new Command("eval", "Evaluate a trained run on held-out and ood tasks beside the classical baselines.");
        command.Arguments.Add(runArg);
        foreach (var o in new Option[] { runs, trials, seed, json, greedy, schedule }) command.Options.Add(o);
        command.SetAction(parse => Evaluate(parse.GetValue(runArg)!, parse.GetValue(runs)!, parse.GetValue(trials), parse.GetValue(seed), parse.GetValue(greedy),
            parse.GetValue(schedule), parse.GetValue(json), "eval", run => run.EvaluationFile, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>
    /// Loads a run's model and config, evaluates it (under <paramref name="schedule"/> instead of the run's own when
    /// given), prints the result and saves it as JSON at <paramref name="outputFile"/> of the run folder. Shared by
    /// <c>metarl eval</c> and <c>metarl study</c> (<paramref name="commandName"/> prefixes the error lines).
    /// </summary>
    public static int Evaluate(string runRef, string runsDir, int? trials, int seed, bool greedy, string? schedule, bool json,
        string commandName, Func<RunFolder, string> outputFile, TextWriter stdout, TextWriter stderr, FromScratchSettings? fromScratch = null)
    {
        RunFolder run;
        TrainConfig cfg;
        TrainingSetup setup;
        InContextModel? model = null;
        long version;
        int count;
        RunStatus? status;
        try
        {
            run = RunFolder.Open(runRef, runsDir);
            cfg = TrainConfigLoader.Load(run.ConfigFile, []);
            status = RunStatus.Read(run);
            if (cfg.Algorithm != Policies.Maml.MetaAlgorithm.Ppo)
                return EvaluateMetaGradient(run, cfg, seed, json, commandName, stdout, stderr);
            count = trials ?? cfg.Eval.Trials;
            if (count is < 1 or > 1_000_000) throw new ArgumentException($"--trials must be an integer from 1 to 1000000, got {count}");
            setup = TrainingSetup.From(cfg);
            Environments.NonStationary.ScheduleSpec? spec = null;
            if (schedule is not null && Studies.ScheduleOption.Parse(schedule, setup.Family, out spec) is { } error) throw new ArgumentException(error);
            TrainingSetup.ConfigureTorch(cfg);
            model = setup.NewModel();
            version = ModelFile.Load(run.ModelFile, model, cfg); // checked against the config it was trained under
            // The given schedule replaces the run's, for every group alike.
            if (spec is not null) cfg = cfg with { Env = cfg.Env with { Schedule = spec.Text }, Population = cfg.Population with { Groups = null } };
        }
        catch (Exception e) when (e is ArgumentException or ModelFileException)
        {
            model?.Dispose();
            stderr.WriteLine($"metarl {commandName}: {e.Message}");
            return Program.UsageError;
        }
        if (status is { IsComplete: false })
            stderr.WriteLine($"metarl {commandName}: run {run.Name} is {status.Describe(run.IsLocked())}; evaluating the model of update {version}");
        if (fromScratch is not null && !json)
            stderr.WriteLine($"metarl {commandName}: training PPO from scratch on {fromScratch.Tasks} held-out tasks (at most {fromScratch.MaxUpdates} updates of {fromScratch.TrialsPerUpdate} trials each)");
        var evaluation = EvalRun.Run(run.Name, cfg, setup, model, version, count, seed, greedy, fromScratch);
        // Results first: a folder that cannot be written must not cost a finished evaluation.
        if (json) EvalOutput.WriteJson(evaluation, stdout);
        else EvalOutput.WriteTable(evaluation, stdout);
        string file = outputFile(run);
        try
        {
            var tmp = file + ".tmp";
            using (var writer = new StreamWriter(tmp)) EvalOutput.WriteJson(evaluation, writer);
            File.Move(tmp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"metarl {commandName}: the results above could not be saved to {file}: {e.Message}");
            return Program.RunFailed;
        }
        if (!json) stdout.WriteLine($"saved {file}");
        return 0;
    }

    /// <summary>
    /// A MAML or Reptile run: its policy adapted to held-out tasks with <c>maml.evalSteps</c> inner steps each, the mean
    /// episode return after each step beside random actions (saved as eval.json's <c>adaptation</c>).
    /// </summary>
    private static int EvaluateMetaGradient(RunFolder run, TrainConfig cfg, int seed, bool json, string commandName, TextWriter stdout, TextWriter stderr)
    {
        MetaGradientEvaluation e;
        try
        {
            e = MetaGradientRun.Evaluate(cfg, run, seed);
        }
        catch (Exception ex) when (ex is ArgumentException or ModelFileException)
        {
            stderr.WriteLine($"metarl {commandName}: {ex.Message}");
            return Program.UsageError;
        }
        var text = System.Text.Json.JsonSerializer.Serialize(new
        {
            run = run.Name,
            env = cfg.Env.Name,
            algorithm = e.Algorithm,
            tasks = e.Tasks,
            episodesPerStep = e.EpisodesPerStep,
            adaptation = e.ByStep.Select(s => new[] { s.Mean, s.StdErr }),
            random = new[] { e.Random, e.RandomStdErr },
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        if (json) stdout.WriteLine(text);
        else
        {
            stdout.WriteLine($"{run.Name}: {cfg.Env.Name}, {e.Algorithm}; {e.Tasks} held-out tasks, {e.EpisodesPerStep} episodes a gradient step (mean episode return)");
            stdout.WriteLine("  step  return");
            for (int i = 0; i < e.ByStep.Count; i++)
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i,4}  {e.ByStep[i].Mean,8:0.00} ± {e.ByStep[i].StdErr:0.00}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  random actions {e.Random:0.00} ± {e.RandomStdErr:0.00}"));
        }
        try
        {
            File.WriteAllText(run.EvaluationFile, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"metarl {commandName}: the results above could not be saved to {run.EvaluationFile}: {ex.Message}");
            return Program.RunFailed;
        }
        if (!json) stdout.WriteLine($"saved {run.EvaluationFile}");
        return 0;
    }
}
