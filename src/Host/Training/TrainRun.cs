using System.Diagnostics;
using MetaRL.Actors.Population;
using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;
using MetaRL.Runtime;

namespace MetaRL.Host.Training;

/// <summary>What a finished training run leaves: its weights, why it stopped, how long it took.</summary>
internal sealed record TrainOutcome(float[] Parameters, long PolicyVersion, string StopReason, TimeSpan Elapsed, int SkippedUpdates);

/// <summary>
/// Meta-trains an in-context learner (RL² by default) with a population of actors (DESIGN.md §2): builds the model and PPO trainer, starts an
/// actor system with the population, reports progress until the update or time budget is spent, then saves
/// the weights. The console shows one line per report interval; metrics go to the run's CSV.
/// </summary>
internal static class TrainRun
{
    public static TrainOutcome Run(TrainConfig config, RunFolder run, Action<PopulationProgress>? onProgress = null)
    {
        var setup = TrainingSetup.From(config);
        TrainingSetup.ConfigureTorch(config);
        var trainer = new PpoTrainer(setup.NewModel(), config.Ppo, TaskSeeds.Mix(config.Seed, 11));
        var initial = trainer.GetParameters();
        float[] latest = initial;
        long latestVersion = 0;
        var clock = Stopwatch.StartNew();
        using var monitor = new TrainingMonitor(run.MetricsFile, config.Updates, config.MaxMinutes > 0 ? TimeSpan.FromMinutes(config.MaxMinutes) : null)
        {
            OnUpdated = p =>
            {
                latest = p.Update.Parameters;
                latestVersion = p.Update.Version;
                if (latestVersion % 10 == 0) WeightsFile.Save(run.WeightsFile, latest, latestVersion); // a crash keeps recent weights
                onProgress?.Invoke(p);
            },
        };
        using var system = ActorSystem.Create("metarl");
        StartPopulation(setup, config, trainer, system, monitor);
        string reason = monitor.Finished.GetAwaiter().GetResult();
        system.Terminate().Wait(TimeSpan.FromSeconds(30));
        WeightsFile.Save(run.WeightsFile, latest, latestVersion);
        return new TrainOutcome(latest, latestVersion, reason, clock.Elapsed, monitor.Skipped);
    }

    private static void StartPopulation(TrainingSetup setup, TrainConfig config, PpoTrainer trainer, ActorSystem system, IPopulationObserver observer)
    {
        var method = typeof(TrainRun).GetMethod(nameof(StartTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(setup.Family.ObservationType, setup.Family.TaskType);
        method.Invoke(null, [setup, config, trainer, system, observer]);
    }

    private static void StartTyped<TObs, TTask>(TrainingSetup setup, TrainConfig config, PpoTrainer trainer, ActorSystem system, IPopulationObserver observer)
    {
        var spec = new PopulationSpec<TObs, TTask>(
            (EnvFamily<TObs, int, TTask>)setup.Family,
            config.Env.ToOptions(TaskSplit.Train),
            setup.EpisodesPerTrial,
            config.Population,
            () => new InContextPolicy(setup.NewModel()),
            trainer.Model.MemorySize,
            trainer,
            config.Updates,
            config.Seed,
            TrialProgress: setup.TrialProgress,
            RecordMeanRewards: config.Ppo.RewardSignal == RewardSignal.Mean);
        system.ActorOf(Props.Create(() => new Population<TObs, TTask>(spec, observer)), "population");
    }
}
