using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Actors.Learning;
using MetaRL.Policies;

namespace MetaRL.Actors.Population;

/// <summary>
/// Everything a population is built from: the env family and its options, the task split agents train on,
/// trial length, the policy and trainer factories, and the seed. Factories, not instances: every batcher builds
/// its own policy copy and the learner its own trainer, each on its own thread, and each owns and disposes what
/// it built. The trainer's parameters at construction are the run's version 0 (the batchers wait for them), so
/// the trainer factory must be deterministic for a lockstep run to be reproducible; a policy's own initial
/// parameters are never used. <see cref="WrapEnv"/> is where a non-stationary schedule goes (e.g. a
/// <c>NonStationaryEnv</c>): the agent is not told of task changes. <see cref="TrialProgress"/> appends the
/// trial's progress to the RL² input (see <c>Rl2Input</c>). <see cref="RecordMeanRewards"/> keeps the env's mean
/// rewards in each trial (for PPO's <c>rewardSignal: Mean</c>). <see cref="TorchThreads"/> is libtorch's thread
/// count on each batcher's and the learner's thread. <see cref="Persistence"/> makes the learner checkpoint and
/// journal its updates (and resume from its newest checkpoint); null keeps nothing. <see cref="GroupEnvOptions"/>, with
/// <c>Options.Groups</c>, gives each group of agents its own env options (its schedule); null: every agent uses <see cref="EnvOptions"/>.
/// <see cref="Evaluation"/> has the learner score versions on held-out tasks as it trains; null: none.
/// <see cref="EpisodeNoise"/> is the policy's episode noise (<c>InContextModel.EpisodeNoise</c>): each agent's RL² input ends with it.
/// </summary>
public sealed record PopulationSpec<TObs, TAction, TTask>(
    EnvFamily<TObs, TAction, TTask> Family,
    EnvOptions EnvOptions,
    int EpisodesPerTrial,
    PopulationOptions Options,
    Func<IInContextPolicy> PolicyFactory,
    int MemorySize,
    Func<IPolicyTrainer> TrainerFactory,
    int TotalUpdates,
    int Seed,
    Func<ITaskEnv<TObs, TAction, TTask>, int, ITaskEnv<TObs, TAction, TTask>>? WrapEnv = null,
    bool TrialProgress = false,
    bool RecordMeanRewards = false,
    int TorchThreads = 1,
    LearnerPersistence? Persistence = null,
    IReadOnlyList<EnvOptions>? GroupEnvOptions = null,
    LearnerEvaluation? Evaluation = null,
    int EpisodeNoise = 0)
{
    /// <summary>The first agent of each group and, last, the number of agents (one group of all agents without groups).</summary>
    public int[] GroupStarts => Options.Groups is { Count: > 0 } groups ? AgentGroups.Starts(groups, Options.Agents) : [0, Options.Agents];

    /// <summary>The env options of group <paramref name="group"/>.</summary>
    public EnvOptions EnvOptionsOf(int group) => GroupEnvOptions is { } options ? options[group] : EnvOptions;
}
