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

        var command = new Command("eval", "Evaluate a trained run on held-out and ood tasks beside the classical baselines.");
        command.Arguments.Add(runArg);
        foreach (var o in new Option[] { runs, trials, seed, json, greedy }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            RunFolder run;
            TrainConfig cfg;
            TrainingSetup setup;
            InContextModel? model = null;
            long version;
            int count;
            RunStatus? status;
            try
            {
                run = RunFolder.Open(parse.GetValue(runArg)!, parse.GetValue(runs)!);
                cfg = TrainConfigLoader.Load(run.ConfigFile, []);
                status = RunStatus.Read(run);
                count = parse.GetValue(trials) ?? cfg.Eval.Trials;
                if (count is < 1 or > 1_000_000) throw new ArgumentException($"--trials must be an integer from 1 to 1000000, got {count}");
                setup = TrainingSetup.From(cfg);
                TrainingSetup.ConfigureTorch(cfg);
                model = setup.NewModel();
                version = ModelFile.Load(run.ModelFile, model, cfg);
            }
            catch (Exception e) when (e is ArgumentException or ModelFileException)
            {
                model?.Dispose();
                stderr.WriteLine($"metarl eval: {e.Message}");
                return Program.UsageError;
            }
            if (status is { IsComplete: false })
                stderr.WriteLine($"metarl eval: run {run.Name} is {status.Describe(run.IsLocked())}; evaluating the model of update {version}");
            var evaluation = EvalRun.Run(run.Name, cfg, setup, model, version, count, parse.GetValue(seed), parse.GetValue(greedy));
            // Results first: a folder that cannot be written must not cost a finished evaluation.
            if (parse.GetValue(json)) EvalOutput.WriteJson(evaluation, stdout);
            else EvalOutput.WriteTable(evaluation, stdout);
            try
            {
                var tmp = run.EvaluationFile + ".tmp";
                using (var file = new StreamWriter(tmp)) EvalOutput.WriteJson(evaluation, file);
                File.Move(tmp, run.EvaluationFile, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"metarl eval: the results above could not be saved to {run.EvaluationFile}: {e.Message}");
                return Program.RunFailed;
            }
            return 0;
        });
        return command;
    }
}
