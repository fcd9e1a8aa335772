using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Policies.Algorithms;
using MetaRL.Policies;
using MetaRL.Policies.Actions;
using static MetaRL.Torch.torch;

namespace MetaRL.Training;

/// <summary>
/// What a config resolves to before anything runs: the env family, trial length and the model's shape, with the policy
/// head its actions need (categorical for discrete actions, a diagonal Gaussian for Box actions).
/// </summary>
/// <param name="ObservationSize">Floats of the flat observation (the RL² input's first part).</param>
/// <param name="ActionInputs">Floats of the previous action in the RL² input.</param>
internal sealed record TrainingSetup(EnvFamily Family, int EpisodesPerTrial, int TrialSteps, int InputSize, PolicyHead Head, ModelOptions Model,
    int ObservationSize, int ActionInputs)
{
    public static TrainingSetup From(TrainConfig config)
    {
        var family = EnvCatalog.Get(config.Env.Name);
        family.Validate(config.Env.ToOptions(TaskSplit.Train));
        foreach (var options in config.GroupEnvOptions(TaskSplit.Train) ?? []) family.Validate(options);
        var (observationSize, actionInputs, head, knowsMeans, episodeSteps) = Probe(family, config.Env.ToOptions(TaskSplit.Train));
        if (config.Ppo.RewardSignal == RewardSignal.Mean && !knowsMeans)
            throw new ArgumentException($"ppo.rewardSignal = Mean: env \"{family.Name}\" does not report its mean rewards; use Sampled, " +
                "or an env that does (the bandits, tabular-mdp)");
        int episodes = config.EpisodesPerTrial > 0 ? config.EpisodesPerTrial : family.EpisodesPerTrial;
        int trialSteps = episodes * episodeSteps;
        if (config.Model.Kind == ModelCatalog.Transformer && config.Model.Context > 0 && config.Model.Context < trialSteps)
            throw new ArgumentException($"model.context = {config.Model.Context} is shorter than a trial of this env ({episodes} episodes × {episodeSteps} steps " +
                $"= {trialSteps}); leave it at 0 to take the trial's length");
        int input = observationSize + actionInputs + 2 + (config.Model.TrialProgress ? 1 : 0);
        return new TrainingSetup(family, episodes, trialSteps, input, head, config.Model, observationSize, actionInputs);
    }

    public bool TrialProgress => Model.TrialProgress;

    /// <summary>A fresh model of this shape; parameters drawn from libtorch's seeded generator.</summary>
    public InContextModel NewModel() => Model.Create(InputSize, Head, TrialSteps, ObservationSize, ActionInputs);

    /// <summary>
    /// Builds one env to read its spaces (the RL² input is [flat obs, flat action (one-hot for discrete), reward, done]
    /// (+ progress): the flat sizes of the first two) and its policy head, whether it knows its mean rewards, and how long an episode runs: one episode
    /// that always takes the same action (action 0; the box's centre), which for the time-limited families is their horizon.
    /// </summary>
    private static (int ObservationSize, int ActionInputs, PolicyHead Head, bool KnowsMeans, int EpisodeSteps) Probe(EnvFamily family, EnvOptions options) =>
        family.WithTypes(new ProbeOf(options));

    private sealed class ProbeOf(EnvOptions options) : IFamilyCode<(int, int, PolicyHead, bool, int)>
    {
        public (int, int, PolicyHead, bool, int) Run<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> family)
        {
            var env = family.CreateEnv(options, family.CreateDistribution(options).Sample(new Random(0)));
            var head = PolicyHead.For(env.ActionSpace);
            var action = ActionCodec.For(env.ActionSpace).ToEnv(0, new float[head.VectorSize]);
            bool knowsMeans = env is IMeanReward<TAction>;
            env.Reset(0);
            int steps = 1;
            for (var r = env.Step(action); !r.Terminated && !r.Truncated && steps < MaxProbeSteps; r = env.Step(action)) steps++;
            return (env.ObservationSpace.FlatSize, env.ActionSpace.FlatSize, head, knowsMeans, steps);
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
