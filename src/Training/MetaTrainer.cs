using MetaRL.Actors.Population;

namespace MetaRL.Training;

/// <summary>
/// Meta-training from C#, as <c>metarl train</c> does it (the command line is built on this): a config in, a run folder
/// (<c>runs/&lt;name&gt;/</c>) and events out. <see cref="Train"/> does it all in one call; <see cref="Prepare"/> and
/// <see cref="Resume"/> hand back a <see cref="TrainingSession"/> whose folder is made and locked, to run when the
/// caller is ready.
/// </summary>
/// <example>
/// <code>
/// var config = TrainConfigLoader.Load("config/bandits-k5-n100.json", ["updates=50"]);
/// var result = MetaTrainer.Train(config, new TrainingOptions { Overwrite = true }, new ConsoleObserver());
/// Console.WriteLine($"{result.Updates} updates, model at {result.ModelFile}");
/// </code>
/// </example>
public static class MetaTrainer
{
    /// <summary>Trains <paramref name="config"/> in a new run folder to its end (updates or minutes), a cancellation, or a failure.</summary>
    /// <exception cref="ArgumentException">The config cannot be trained (unknown env or model, a model libtorch cannot build) or the run folder holds a run.</exception>
    /// <exception cref="RunInUseException">Another process trains in the run folder.</exception>
    /// <exception cref="IOException">The run folder cannot be written.</exception>
    public static TrainResult Train(TrainConfig config, TrainingOptions? options = null, ITrainingObserver? observer = null, CancellationToken cancel = default)
    {
        using var session = Prepare(config, options);
        return session.Run(observer, cancel);
    }

    /// <summary>
    /// Checks <paramref name="config"/> (the env takes it, libtorch can build the model) before anything is written, then
    /// makes and locks its run folder and writes its config and status. A folder holding a run is refused unless
    /// <see cref="TrainingOptions.Overwrite"/> says to replace it (everything of the old run is removed).
    /// </summary>
    public static TrainingSession Prepare(TrainConfig config, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new TrainingOptions();
        config.Validate().ThrowIfAny();
        var saved = RunPersistence.WithoutSecrets(config);
        if (config.Algorithm == Policies.Maml.MetaAlgorithm.Ppo) TrainingSetup.From(config).CheckModelFits();
        else MetaGradientRun.Check(config);
        var run = RunFolder.For(options.RunsDirectory, config.Name);
        var runLock = run.Lock();
        try
        {
            if (run.HoldsRun && !options.Overwrite)
                throw new ArgumentException($"run folder '{run.Path}' already holds a run; pick another name (--set name=…), continue it (--resume {run.Name}) or pass --overwrite");
            if (run.HoldsRun) run.Clear(); // nothing of the old run may survive (eval.json, run.db, model.pt)
            var status = new RunStatus { Updates = config.Updates };
            File.WriteAllText(run.ConfigFile, TrainConfigLoader.ToJson(saved));
            status.Write(run);
            return new TrainingSession(config, run, status, resuming: false, runLock);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a stopped or killed run (a folder, or a name under <see cref="TrainingOptions.RunsDirectory"/>) to continue
    /// it from its newest checkpoint under its own config. A complete run opens with
    /// <see cref="TrainingSession.AlreadyComplete"/> set; running it does nothing.
    /// </summary>
    public static TrainingSession Resume(string run, TrainingOptions? options = null)
    {
        options ??= new TrainingOptions();
        var folder = RunFolder.Open(run, options.RunsDirectory);
        var runLock = folder.Lock();
        try
        {
            var config = TrainConfigLoader.Load(folder.ConfigFile, []);
            // No run.json beside a config.json: the run was killed before it began (the status is written before
            // anything reaches the journal), so it starts afresh.
            var status = RunStatus.Read(folder) ?? new RunStatus { Updates = config.Updates };
            return new TrainingSession(config, folder, status, resuming: true, runLock);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }
}

/// <summary>Where <see cref="MetaTrainer"/> puts a run.</summary>
public sealed record TrainingOptions
{
    /// <summary>The folder that holds run folders (each named after its config's <c>name</c>).</summary>
    public string RunsDirectory { get; init; } = "runs";

    /// <summary>Replace an earlier run of the same name.</summary>
    public bool Overwrite { get; init; }
}

/// <summary>What a training run tells while it runs. Every method has an empty default: implement the ones wanted.</summary>
/// <remarks>Calls come from the actor system's threads, one at a time; a slow observer slows the run's bookkeeping, not its actors.</remarks>
public interface ITrainingObserver
{
    /// <summary>An update landed: its version, score, losses, held-out score when evaluated, and the population's counters.</summary>
    void OnUpdate(PopulationProgress progress) { }

    /// <summary>The held-out score first reached a share (90, 95, 97, 100 %) of the best classical baseline's, with <c>eval.every</c>.</summary>
    void OnMilestone(string message) { }

    /// <summary>A MAML or Reptile run's meta-update landed (<c>algorithm: Maml</c> or <c>Reptile</c>; such runs report no <see cref="OnUpdate"/>).</summary>
    void OnMetaUpdate(MetaGradientProgress progress) { }
}

/// <summary>How a training run ended.</summary>
/// <param name="Complete">It ran all its updates and saved them.</param>
/// <param name="Updates">The version it ended at (updates done, those of earlier sessions included).</param>
/// <param name="StartUpdate">The version a resumed run started from (0 for a fresh run).</param>
/// <param name="StopReason">Why it stopped (its budget, a cancellation, a signal, a failure).</param>
/// <param name="Elapsed">This session's wall time.</param>
/// <param name="SkippedUpdates">Updates the learner refused (a non-finite loss); see metrics.csv's skipped column.</param>
/// <param name="Failure">What failed, when the population failed (the run can resume from its last checkpoint).</param>
/// <param name="SaveError">Why the last checkpoint or the model could not be saved.</param>
/// <param name="SignalExitCode">130 or 143 when SIGINT or SIGTERM stopped it, for a process to exit with.</param>
public sealed record TrainResult(string RunPath, bool Complete, long Updates, long StartUpdate, string StopReason, TimeSpan Elapsed, int SkippedUpdates,
    string? Failure, string? SaveError, int? SignalExitCode)
{
    public string RunName => Path.GetFileName(RunPath);
    public string ModelFile => new RunFolder(RunPath).ModelFile;
    public string MetricsFile => new RunFolder(RunPath).MetricsFile;
    public string LogFile => new RunFolder(RunPath).LogFile;
}
