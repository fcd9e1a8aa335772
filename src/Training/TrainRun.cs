using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Hosting;
using MetaRL.Actors;
using MetaRL.Actors.Cluster;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Population;
using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Training.Cluster;
using MetaRL.Training.Logging;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetaRL.Training;

/// <summary>What a training run leaves: its weights, why it stopped, how long it took, and its failure if it failed.</summary>
internal sealed record TrainOutcome(float[] Parameters, long PolicyVersion, string StopReason, TimeSpan Elapsed, int SkippedUpdates,
    PopulationFailure? Failure = null, string? SaveError = null, int? SignalExitCode = null, long StartVersion = 0);

/// <summary>
/// Meta-trains an in-context learner (RL² by default) with a population of actors (docs/architecture.md §2): resolves the
/// model and its initial parameters, starts an Akka.NET actor system through Akka.Hosting with the population
/// and the run's persistence (docs/architecture.md §4) in it, waits until the update or time budget is spent, a
/// signal asks it to stop, or the population fails, then makes the last checkpoint durable and exports the model.
/// A resumed run (<paramref name="resume"/>) continues from its newest checkpoint. Akka's log and ours go to
/// <c>runs/&lt;name&gt;/log.txt</c>; warnings also to stderr.
/// </summary>
internal static class TrainRun
{
    /// <summary>How long the actor system may take to stop (a learner in the middle of an update finishes it first).</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long the last rows may take to reach the monitor once the learner has stopped.</summary>
    private static readonly TimeSpan RowsTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the last checkpoint may take to become durable before the run is stopped without it.</summary>
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(60);

    /// <param name="cluster">Run as the seed of a cluster (<c>--cluster-port</c>); null: the in-process population.</param>
    /// <param name="sink">Sees metrics.csv's lines as they are written (the live dashboard).</param>
    public static TrainOutcome Run(TrainConfig config, RunFolder run, RunStatus status, bool resume, TextWriter stderr,
        Action<PopulationProgress>? onProgress = null, ClusterSeed? cluster = null, IMetricsSink? sink = null, CancellationToken cancel = default)
    {
        var setup = TrainingSetup.From(config);
        TrainingSetup.ConfigureTorch(config);
        // Version 0 is drawn once, here, from the seeded generator; the learner's trainer and the batchers'
        // policies are built on their own threads and load it, so no thread's draws can change it.
        using var template = setup.NewModel();
        float[] initial = ParameterVector.Get(template);
        var slots = ModelSlots.Of(template);
        var persistence = RunPersistence.Config(config, run);
        var clock = Stopwatch.StartNew();
        IReadOnlyDictionary<long, UpdateCompleted> journaled = new Dictionary<long, UpdateCompleted>();
        TrainingMonitor monitor = null!;

        IActorRef? population = null;
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders()
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddFilter("LinqToDB", LogLevel.Warning)
            .AddProvider(new LineLoggerProvider(new StreamWriter(run.LogFile, append: resume), LogLevel.Information, ownsWriter: true))
            .AddProvider(new LineLoggerProvider(stderr, LogLevel.Warning, maximum: LogLevel.Warning, skip: LineLoggerProvider.IsConnectionChatter));
        builder.Services.AddSingleton<IHostLifetime, SignalsOwnedByRunLifetime>();
        ActorSystem? actorSystem = null;
        builder.Services.AddAkka(MetaRlCluster.SystemName, akka => akka
            .AddMetaRlActors()
            .AddHocon(cluster?.Config ?? Akka.Configuration.Config.Empty, HoconAddMode.Prepend)
            .AddHocon(persistence, HoconAddMode.Prepend)
            // Signals are the run's to handle (see SignalsOwnedByRunLifetime): Akka must not shut itself down on them first.
            .AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .WithActors((system, _) =>
            {
                // A resumed run's metrics.csv is rewritten from the journal: its rows are the truth, the old file may end mid-row.
                if (resume) journaled = RunPersistence.ReadRows(system, status.Id);
                monitor = NewMonitor(config, run, status, template, journaled, onProgress, clustered: cluster is not null, sink);
                actorSystem = system;
                if (cluster is not null)
                {
                    population = cluster.CreateActors(system, monitor, status.Id, config.Persistence.Provider == PersistenceConfig.PostgreSql ? null : run.DatabaseFile);
                    return;
                }
                population = system.ActorOf(setup.Family.WithTypes(new PopulationProps(setup, config, status.Id, initial, slots, monitor)), "population");
            }));
        using var host = builder.Build();
        host.Start();
        using var _ = monitor;
        // The population reports its own failures; watching it as well means that even a population that stopped
        // without a word (it failed while failing) ends the run instead of leaving it waiting.
        var watched = population ?? throw new InvalidOperationException("Akka.Hosting started no population");
        var stopped = watched.WatchAsync().ContinueWith(_ => new TrainStop("the population failed",
            new PopulationFailure(watched.Path.ToString(), new InvalidOperationException("the population stopped before the run ended"))),
            TaskScheduler.Default);
        // Ctrl+C and SIGTERM stop the run as its budget would: the last checkpoint is saved, the model exported, and
        // the command exits with the signal's conventional code; the run can be resumed.
        var signalled = new TaskCompletionSource<TrainStop>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, "interrupted (SIGINT)", 130));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, "terminated (SIGTERM)", 143));
        // A caller's cancellation (the C# API) stops it the same way, without an exit code.
        using var cancelled = cancel.Register(() => signalled.TrySetResult(new TrainStop("cancelled", CountAtEnd: true)));
        void Stop(PosixSignalContext context, string reason, int code)
        {
            context.Cancel = true;
            signalled.TrySetResult(new TrainStop(reason, SignalExitCode: code, CountAtEnd: true));
        }
        // A cluster's seed trains once enough nodes are up; a signal while it waits ends the run before it began.
        bool trained = true;
        if (cluster is not null)
        {
            var formed = cluster.Form(actorSystem!);
            if (Task.WhenAny(formed, signalled.Task, stopped, monitor.Finished).GetAwaiter().GetResult() == formed)
                cluster.StartPart(actorSystem!, ClusterParts.From(config, setup, status.Id, initial, slots), watched);
            else trained = false;
        }
        var stop = Task.WhenAny(monitor.Finished, stopped, signalled.Task).GetAwaiter().GetResult().GetAwaiter().GetResult();
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("metarl");
        long StartedAt() => monitor.Started.IsCompletedSuccessfully ? monitor.Started.Result.Version : 0;
        // The learner stops updating and makes its version durable; its answer carries that version's parameters,
        // which the model export takes (the monitor may not have seen the last rows yet).
        CheckpointDone? done = null;
        string? saveError = null;
        var failure = stop.Failure;
        if (failure is null && trained)
        {
            (done, saveError) = MakeLastCheckpointDurable(watched, stopped, log);
            // A population that failed while the run was stopping (its learner could not even recover) is a failure of the run.
            if (done is null && saveError is null) failure = monitor.Failure ?? stopped.Result.Failure;
            // The learner's answer can overtake its last rows on their way through the population to metrics.csv.
            for (var wait = Stopwatch.StartNew(); done is not null && (monitor.Latest?.Update.Version ?? StartedAt()) < done.Version && wait.Elapsed < RowsTimeout;)
                Thread.Sleep(10);
        }
        cluster?.End(actorSystem!, watched, stop.Reason);
        if (!host.StopAsync().Wait(StopTimeout))
            log.LogWarning("the actor system did not stop within {Seconds} s", StopTimeout.TotalSeconds);

        long startVersion = StartedAt();
        var last = monitor.Latest;
        float[] parameters = done?.Parameters ?? last?.Update.Parameters ?? initial;
        long version = done?.Version ?? last?.Update.Version ?? startVersion;
        if (done is not null || last is not null || !resume)
        {
            try
            {
                ModelFile.Save(run.ModelFile, template, parameters, version, config);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                saveError ??= $"{e.GetType().Name}: {e.Message}";
            }
        }
        string reason = stop.CountAtEnd ? $"{stop.Reason} after {version} updates" : stop.Reason;
        return new TrainOutcome(parameters, version, reason, clock.Elapsed, monitor.Skipped, failure, saveError, stop.SignalExitCode, startVersion);
    }

    /// <summary>A monitor that exports the model and updates the run's status at every checkpoint, so a killed run keeps recent weights.</summary>
    private static TrainingMonitor NewMonitor(TrainConfig config, RunFolder run, RunStatus status, InContextModel template,
        IReadOnlyDictionary<long, UpdateCompleted> journaled, Action<PopulationProgress>? onProgress, bool clustered, IMetricsSink? sink)
    {
        var budget = config.MaxMinutes > 0 ? TimeSpan.FromMinutes(config.MaxMinutes) : (TimeSpan?)null;
        return new TrainingMonitor(run.MetricsFile, config.Updates, budget, journaled, TimeSpan.FromSeconds(status.WallSeconds))
        {
            GroupNames = config.Population.Groups?.Select(g => g.Name).ToArray() ?? [],
            Clustered = clustered,
            Sink = sink,
            OnUpdated = p =>
            {
                var u = p.Update;
                if (u.Version % config.CheckpointEvery == 0)
                {
                    ModelFile.Save(run.ModelFile, template, u.Parameters, u.Version, config);
                    (status with { Update = u.Version, WallSeconds = u.Counters.Seconds }).Write(run);
                }
                onProgress?.Invoke(p);
            },
        };
    }

    /// <summary>
    /// Has the learner stop and make its version durable before the system stops: its answer, or the error if there
    /// is none; neither if the population stopped first (it failed, and reported why).
    /// </summary>
    private static (CheckpointDone? Done, string? Error) MakeLastCheckpointDurable(IActorRef population, Task<TrainStop> stopped, ILogger log)
    {
        try
        {
            var ask = population.Ask<CheckpointDone>(FlushCheckpoint.Instance, FlushTimeout);
            if (Task.WhenAny(ask, stopped).GetAwaiter().GetResult() != ask)
                return (null, null); // the population failed: the caller reports its failure
            var done = ask.GetAwaiter().GetResult();
            return (done, done.Error);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            log.LogWarning("the last checkpoint could not be made durable: {Error}", e.Message);
            return (null, $"the last checkpoint could not be saved ({e.GetType().Name}); the run resumes from its previous one");
        }
    }

    /// <summary>The population's props, built with the env family's own types.</summary>
    private sealed class PopulationProps(TrainingSetup setup, TrainConfig config, string runId, float[] initial, ModelSlots slots,
        IPopulationObserver observer) : IFamilyCode<Props>
    {
        public Props Run<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> family)
        {
            var spec = RunSpecs.Population(family, setup, config, runId, initial, slots);
            return FactoryProps.Create(() => new Population<TObs, TAction, TTask>(spec, observer));
        }
    }
}
