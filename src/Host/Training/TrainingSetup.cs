using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Policies.Algorithms;
using MetaRL.Policies.Rl2;
using static MetaRL.Torch.torch;

namespace MetaRL.Host.Training;

/// <summary>What a config resolves to before anything runs: the env family, trial length and the RL² model's shape.</summary>
internal sealed record TrainingSetup(EnvFamily Family, int EpisodesPerTrial, int InputSize, int Actions, int Hidden, bool TrialProgress, int HeadHidden = 0)
{
    public static TrainingSetup From(TrainConfig config)
    {
        var family = EnvCatalog.Get(config.Env.Name);
        if (family.ActionType != typeof(int))
            throw new ArgumentException($"env.name = \"{family.Name}\": RL² training needs discrete actions; this family's actions are {family.ActionType.Name}");
        family.Validate(config.Env.ToOptions(TaskSplit.Train));
        var (inputSize, actions, knowsMeans) = Probe(family, config.Env.ToOptions(TaskSplit.Train));
        if (config.Ppo.RewardSignal == RewardSignal.Mean && !knowsMeans)
            throw new ArgumentException($"ppo.rewardSignal = Mean: env \"{family.Name}\" does not report its mean rewards; use Sampled, " +
                "or an env that does (the bandits, tabular-mdp)");
        int episodes = config.EpisodesPerTrial > 0 ? config.EpisodesPerTrial : family.EpisodesPerTrial;
        bool progress = config.Model.TrialProgress;
        return new TrainingSetup(family, episodes, inputSize + (progress ? 1 : 0), actions, config.Model.Hidden, progress, config.Model.HeadHidden);
    }

    /// <summary>A fresh model of this shape; parameters drawn from libtorch's seeded generator.</summary>
    public Rl2Model NewModel() => new(InputSize, Actions, Hidden, HeadHidden);

    /// <summary>Builds one env to read its spaces (the RL² input is [flat obs, onehot action, reward, done] (+ progress)) and whether it knows its mean rewards.</summary>
    private static (int InputSize, int Actions, bool KnowsMeans) Probe(EnvFamily family, EnvOptions options)
    {
        var method = typeof(TrainingSetup).GetMethod(nameof(ProbeTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(family.ObservationType, family.TaskType);
        return ((int, int, bool))method.Invoke(null, [family, options])!;
    }

    private static (int, int, bool) ProbeTyped<TObs, TTask>(EnvFamily family, EnvOptions options)
    {
        var typed = (EnvFamily<TObs, int, TTask>)family;
        var env = typed.CreateEnv(options, typed.CreateDistribution(options).Sample(new Random(0)));
        return (env.ObservationSpace.FlatSize + env.ActionSpace.FlatSize + 2, env.ActionSpace.FlatSize, env is IMeanReward<int>);
    }

    /// <summary>Seeds libtorch and sets its thread count for this process.</summary>
    public static void ConfigureTorch(TrainConfig config)
    {
        set_num_threads(config.TorchThreads);
        manual_seed((ulong)(uint)config.Seed);
    }
}
