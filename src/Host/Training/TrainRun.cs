using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Hosting;
using MetaRL.Actors;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Population;
using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Host.Logging;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetaRL.Host.Training;

/// <summary>What a training run leaves: its weights, why it stopped, how long it took, and its failure if it failed.</summary>
internal sealed record TrainOutcome(float[] Parameters, long PolicyVersion, string StopReason, TimeSpan Elapsed, int SkippedUpdates,
    PopulationFailure? Failure = null, string? SaveError = null, int? SignalExitCode = null);

/// <summary>
/// Meta-trains an in-context learner (RL² by default) with a population of actors (docs/architecture.md §2): resolves the
/// model and its initial parameters, starts an Akka.NET actor system through Akka.Hosting with the population
/// in it, waits until the update or time budget is spent or the population fails, then saves the weights.
/// Akka's log and ours go to <c>runs/&lt;name&gt;/log.txt</c>; warnings also to stderr.
/// </summary>
internal static class TrainRun
{
    /// <summary>How long the actor system may take to stop (a learner in the middle of an update finishes it first).</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    public static TrainOutcome Run(TrainConfig config, RunFolder run, TextWriter stderr, Action<PopulationProgress>? onProgress = null)
    {
        var setup = TrainingSetup.From(config);
        TrainingSetup.ConfigureTorch(config);
        // Version 0 is drawn once, here, from the seeded generator; the learner's trainer and the batchers'
        // policies are built on their own threads and load it, so no thread's draws can change it.
        float[] initial;
        int memorySize;
        using (var model = setup.NewModel())
        {
            initial = ParameterVector.Get(model);
            memorySize = model.MemorySize;
        }
        var clock = Stopwatch.StartNew();
        using var monitor = new TrainingMonitor(run.MetricsFile, config.Updates, config.MaxMinutes > 0 ? TimeSpan.FromMinutes(config.MaxMinutes) : null)
        {
            OnUpdated = p =>
            {
                if (p.Update.Version % 10 == 0) WeightsFile.Save(run.WeightsFile, p.Update.Parameters, p.Update.Version); // a crash keeps recent weights
                onProgress?.Invoke(p);
            },
        };

        IActorRef? population = null;
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders()
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddProvider(new LineLoggerProvider(new StreamWriter(run.LogFile, append: false), LogLevel.Information, ownsWriter: true))
            .AddProvider(new LineLoggerProvider(stderr, LogLevel.Warning, maximum: LogLevel.Warning));
        builder.Services.AddAkka("metarl", akka => akka
            .AddMetaRlActors()
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .WithActors((system, _) => population = system.ActorOf(PopulationProps(setup, config, initial, memorySize, monitor), "population")));
        using var host = builder.Build();
        host.Start();
        // The population reports its own failures; watching it as well means that even a population that stopped
        // without a word (it failed while failing) ends the run instead of leaving it waiting.
        var watched = population ?? throw new InvalidOperationException("Akka.Hosting started no population");
        var stopped = watched.WatchAsync().ContinueWith(_ => new TrainStop("the population failed",
            new PopulationFailure(watched.Path.ToString(), new InvalidOperationException("the population stopped before the run ended"))),
            TaskScheduler.Default);
        // Ctrl+C and SIGTERM stop the run as its budget would: the actors stop, the weights are saved, and the
        // command exits with the signal's conventional code.
        var signalled = new TaskCompletionSource<TrainStop>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, "interrupted (SIGINT)", 130));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, "terminated (SIGTERM)", 143));
        void Stop(PosixSignalContext context, string reason, int code)
        {
            context.Cancel = true;
            signalled.TrySetResult(new TrainStop($"{reason} after {monitor.Latest?.Update.Version ?? 0} updates", SignalExitCode: code));
        }
        var stop = Task.WhenAny(monitor.Finished, stopped, signalled.Task).GetAwaiter().GetResult().GetAwaiter().GetResult();
        if (!host.StopAsync().Wait(StopTimeout))
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("metarl").LogWarning("the actor system did not stop within {Seconds} s", StopTimeout.TotalSeconds);

        var last = monitor.Latest;
        float[] parameters = last?.Update.Parameters ?? initial;
        long version = last?.Update.Version ?? 0;
        string? saveError = null;
        try
        {
            WeightsFile.Save(run.WeightsFile, parameters, version);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            saveError = $"{e.GetType().Name}: {e.Message}";
        }
        return new TrainOutcome(parameters, version, stop.Reason, clock.Elapsed, monitor.Skipped, stop.Failure, saveError, stop.SignalExitCode);
    }

    private static Props PopulationProps(TrainingSetup setup, TrainConfig config, float[] initial, int memorySize, IPopulationObserver observer)
    {
        var method = typeof(TrainRun).GetMethod(nameof(PopulationPropsTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(setup.Family.ObservationType, setup.Family.TaskType);
        return (Props)method.Invoke(null, [setup, config, initial, memorySize, observer])!;
    }

    private static Props PopulationPropsTyped<TObs, TTask>(TrainingSetup setup, TrainConfig config, float[] initial, int memorySize, IPopulationObserver observer)
    {
        var spec = new PopulationSpec<TObs, TTask>(
            (EnvFamily<TObs, int, TTask>)setup.Family,
            config.Env.ToOptions(TaskSplit.Train),
            setup.EpisodesPerTrial,
            config.Population,
            () => new InContextPolicy(setup.NewModel()),
            memorySize,
            () =>
            {
                var model = setup.NewModel();
                ParameterVector.Load(model, initial);
                return new PpoTrainer(model, config.Ppo, TaskSeeds.Mix(config.Seed, 11));
            },
            config.Updates,
            config.Seed,
            TrialProgress: setup.TrialProgress,
            RecordMeanRewards: config.Ppo.RewardSignal == RewardSignal.Mean,
            TorchThreads: config.TorchThreads);
        return FactoryProps.Create(() => new Population<TObs, TTask>(spec, observer));
    }
}
