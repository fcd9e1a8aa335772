using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;

namespace MetaRL.Actors.Population;

/// <summary>
/// Everything a population is built from: the env family and its options, the task split agents train on,
/// trial length, the policy and trainer factories, and the seed. Factories, not instances, because every
/// batcher gets its own policy copy and a restarted actor a fresh one. <see cref="WrapEnv"/> is where a
/// non-stationary schedule goes (e.g. a <c>NonStationaryEnv</c>): the agent is not told of task changes.
/// <see cref="TrialProgress"/> appends the trial's progress to the RL² input (see <c>Rl2Input</c>).
/// <see cref="RecordMeanRewards"/> keeps the env's mean rewards in each trial (for PPO's <c>rewardSignal: Mean</c>).
/// </summary>
public sealed record PopulationSpec<TObs, TTask>(
    EnvFamily<TObs, int, TTask> Family,
    EnvOptions EnvOptions,
    int EpisodesPerTrial,
    PopulationOptions Options,
    Func<IRecurrentPolicy> PolicyFactory,
    int MemorySize,
    IPolicyTrainer Trainer,
    int TotalUpdates,
    int Seed,
    Func<ITaskEnv<TObs, int, TTask>, int, ITaskEnv<TObs, int, TTask>>? WrapEnv = null,
    bool TrialProgress = false,
    bool RecordMeanRewards = false);
