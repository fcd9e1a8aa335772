using MetaRL.Actors.Learning;
using MetaRL.Actors.Population;
using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;

namespace MetaRL.Training;

/// <summary>What a run's actors are built from, the same in-process and on every node of a cluster.</summary>
internal static class RunSpecs
{
    /// <summary>The learner's trainer: PPO on a fresh model loaded with version 0's parameters, seeded from the run's seed, on <c>learnerThreads</c> threads.</summary>
    public static Func<IPolicyTrainer> Trainer(TrainingSetup setup, TrainConfig config, float[] initial) => () =>
    {
        var model = setup.NewModel();
        ParameterVector.Load(model, initial);
        return new PpoTrainer(model, config.Ppo, TaskSeeds.Mix(config.Seed, 11), new LearnerThreads(config.LearnerThreads, setup.NewModel, config.TorchThreads));
    };

    /// <summary>The population of <paramref name="config"/>, with the learner journaling under the run's persistence id.</summary>
    public static PopulationSpec<TObs, TAction, TTask> Population<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> family, TrainingSetup setup, TrainConfig config,
        string runId, float[] initial, ModelSlots slots) =>
        new(family,
            config.Env.ToOptions(TaskSplit.Train),
            setup.EpisodesPerTrial,
            config.Population,
            () => new InContextPolicy(setup.NewModel()),
            slots.Memory,
            Trainer(setup, config, initial),
            config.Updates,
            config.Seed,
            TrialProgress: setup.TrialProgress,
            EpisodeNoise: slots.EpisodeNoise,
            RecordMeanRewards: config.Ppo.RewardSignal == RewardSignal.Mean,
            TorchThreads: config.TorchThreads,
            Persistence: new LearnerPersistence(RunPersistence.PersistenceId(runId), config.CheckpointEvery),
            GroupEnvOptions: config.GroupEnvOptions(TaskSplit.Train),
            Evaluation: HeldOutEvaluator.For(setup, config));
}
