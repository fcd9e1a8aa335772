using MetaRL.Actors.Cluster;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Population;
using MetaRL.Environments;
using MetaRL.Training;
using MetaRL.Policies;

namespace MetaRL.Training.Cluster;

/// <summary>
/// What a node of a clustered run builds from the run's config (the seed and every node alike): the node's spec, the
/// learner's trainer and settings. Version 0's parameters come from the config's seed, so every node draws the same.
/// </summary>
internal sealed record ClusterParts(NodeSpec Node, Func<IPolicyTrainer> Trainer, LearnerSettings Learner)
{
    public static ClusterParts From(TrainConfig config, TrainingSetup setup, string runId, float[] initial, ModelSlots slots)
    {
        var agents = setup.Family.WithTypes(new AgentsOf(setup, config, runId, initial, slots));
        var o = config.Population with { Mode = BatchingMode.Async };
        var groupStarts = o.Groups is { Count: > 0 } groups ? AgentGroups.Starts(groups, o.Agents) : null;
        var node = new NodeSpec(o, config.Seed, config.TorchThreads, () => new InContextPolicy(setup.NewModel()), setup.NewModel, config.Ppo,
            groupStarts, agents, config.Cluster.Shards);
        // Every update is checkpointed: a version is published only once durable (ClusterLearner.PublishOnlyDurable).
        var learner = new LearnerSettings(BatchingMode.Async, o.EffectiveTrialsPerUpdate, o.MaxPolicyLag, config.Updates, config.TorchThreads,
            new LearnerPersistence(RunPersistence.PersistenceId(runId), 1), groupStarts);
        return new ClusterParts(node, RunSpecs.Trainer(setup, config, initial), learner);
    }

    private sealed class AgentsOf(TrainingSetup setup, TrainConfig config, string runId, float[] initial, ModelSlots slots) : IFamilyCode<IAgentFactory>
    {
        public IAgentFactory Run<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> family) =>
            new AgentFactory<TObs, TAction, TTask>(RunSpecs.Population(family, setup, config, runId, initial, slots));
    }
}
