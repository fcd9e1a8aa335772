using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Policies.Algorithms;
using MetaRL.Policies;
using static MetaRL.Torch.torch;

namespace MetaRL.Training;

/// <summary>What a config resolves to before anything runs: the env family, trial length and the model's shape.</summary>
internal sealed record TrainingSetup(EnvFamily Family, int EpisodesPerTrial, int TrialSteps, int InputSize, int Actions, ModelOptions Model)
{
    public static TrainingSetup From(TrainConfig config)
    {
        var family = EnvCatalog.Get(config.Env.Name);
        if (family.ActionType != typeof(int))
            throw new ArgumentException($"env.name = \"{family.Name}\": training needs discrete actions; this family's actions are {family.ActionType.Name}");
        family.Validate(config.Env.ToOptions(TaskSplit.Train));
        foreach (var options in config.GroupEnvOptions(TaskSplit.Train) ?? []) family.Validate(options);
        var (inputSize, actions, knowsMeans, episodeSteps) = Probe(family, config.Env.ToOptions(TaskSplit.Train));
        if (config.Ppo.RewardSignal == RewardSignal.Mean && !knowsMeans)
            throw new ArgumentException($"ppo.rewardSignal = Mean: env \"{family.Name}\" does not report its mean rewards; use Sampled, " +
                "or an env that does (the bandits, tabular-mdp)");
        int episodes = config.EpisodesPerTrial > 0 ? config.EpisodesPerTrial : family.EpisodesPerTrial;
        int trialSteps = episodes * episodeSteps;
        if (config.Model.Kind == ModelCatalog.Transformer && config.Model.Context > 0 && config.Model.Context < trialSteps)
            throw new ArgumentException($"model.context = {config.Model.Context} is shorter than a trial of this env ({episodes} episodes × {episodeSteps} steps " +
                $"= {trialSteps}); leave it at 0 to take the trial's length");
        int input = inputSize + (config.Model.TrialProgress ? 1 : 0);
        return new TrainingSetup(family, episodes, trialSteps, input, actions, config.Model);
    }

    public bool TrialProgress => Model.TrialProgress;

    /// <summary>A fresh model of this shape; parameters drawn from libtorch's seeded generator.</summary>
    public InContextModel NewModel() => Model.Create(InputSize, Actions, TrialSteps);

    /// <summary>
    /// Builds one env to read its spaces (the RL² input is [flat obs, onehot action, reward, done] (+ progress)),
    /// whether it knows its mean rewards, and how long an episode runs: one episode that always takes action 0,
    /// which for the time-limited families is their horizon.
    /// </summary>
    private static (int InputSize, int Actions, bool KnowsMeans, int EpisodeSteps) Probe(EnvFamily family, EnvOptions options) =>
        family.WithDiscreteActions(new ProbeOf(options));

    private sealed class ProbeOf(EnvOptions options) : IDiscreteFamilyCode<(int, int, bool, int)>
    {
        public (int, int, bool, int) Run<TObs, TTask>(EnvFamily<TObs, int, TTask> family)
        {
            var env = family.CreateEnv(options, family.CreateDistribution(options).Sample(new Random(0)));
            bool knowsMeans = env is IMeanReward<int>;
            env.Reset(0);
            int steps = 1;
            for (var r = env.Step(0); !r.Terminated && !r.Truncated && steps < MaxProbeSteps; r = env.Step(0)) steps++;
            return (env.ObservationSpace.FlatSize + env.ActionSpace.FlatSize + 2, env.ActionSpace.FlatSize, knowsMeans, steps);
        }
    }

    private const int MaxProbeSteps = 100_000;

    /// <summary>
    /// Builds the config's model once, so that a model libtorch cannot build (memory) fails with one line before a
    /// run folder is written, instead of in the middle of a run.
    /// </summary>
    public void CheckModelFits()
    {
        try
        {
            using var model = NewModel();
        }
        catch (Exception e) when (e is MetaRL.Torch.TorchException or OutOfMemoryException)
        {
            throw new ArgumentException($"the model (model.hidden = {Model.Hidden}, model.width = {Model.Width}) cannot be built: " +
                e.Message.Split('\n')[0]);
        }
    }

    /// <summary>Seeds libtorch, sets its thread count for this thread and OpenBLAS's for the process.</summary>
    public static void ConfigureTorch(TrainConfig config)
    {
        set_num_threads(config.TorchThreads);
        if (config.BlasThreads > 0) set_blas_threads(config.BlasThreads);
        manual_seed((ulong)(uint)config.Seed);
    }
}
