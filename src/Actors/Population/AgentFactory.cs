using Akka.Actor;
using MetaRL.Actors.Agents;
using MetaRL.Actors.Tasks;
using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Environments.Wrappers;
using MetaRL.Policies.Actions;

namespace MetaRL.Actors.Population;

/// <summary>Builds the props of agent i (with its task actor) wherever it is to live: in a population, or as a sharded entity on a node.</summary>
public interface IAgentFactory
{
    /// <param name="index">The agent's index in the population: its group, its seeds.</param>
    /// <param name="batcher">The batcher that serves it (on its own node).</param>
    /// <param name="learner">Where its trials go (the learner, or its node's gradient worker).</param>
    /// <param name="stats">The counters it adds to.</param>
    /// <param name="host">A sharded agent's node host; null in an in-process population.</param>
    Props For(int index, IActorRef batcher, IActorRef learner, AgentStatistics stats, IActorRef? host = null);
}

/// <summary>
/// The agents of a <see cref="PopulationSpec{TObs,TAction,TTask}"/>: each group's env options, task split and a probe env
/// (for the RL² input's spaces) are built once; every agent's task actor gets a fresh env per incarnation.
/// </summary>
public sealed class AgentFactory<TObs, TAction, TTask> : IAgentFactory
{
    private readonly PopulationSpec<TObs, TAction, TTask> _spec;
    private readonly int[] _starts;
    private readonly (EnvOptions Options, ITaskDistribution<TTask> Tasks, ITaskEnv<TObs, TAction, TTask> Probe)[] _groups;

    public AgentFactory(PopulationSpec<TObs, TAction, TTask> spec)
    {
        _spec = spec;
        _starts = spec.GroupStarts;
        _groups = new (EnvOptions, ITaskDistribution<TTask>, ITaskEnv<TObs, TAction, TTask>)[_starts.Length - 1];
        for (int g = 0; g < _groups.Length; g++)
        {
            var options = spec.EnvOptionsOf(g);
            var tasks = spec.Family.CreateDistribution(options);
            _groups[g] = (options, tasks, spec.Family.CreateEnv(options, tasks.Sample(new Random(spec.Seed))));
        }
    }

    public Props For(int index, IActorRef batcher, IActorRef learner, AgentStatistics stats, IActorRef? host = null)
    {
        var (options, tasks, probeEnv) = _groups[AgentGroups.GroupOf(index, _starts)];
        var spec = _spec;
        int seed = TaskSeeds.Mix(spec.Seed, 2, index);
        int incarnation = 0;
        // The factory runs again on every restart of the task actor: a fresh env, a fresh seed, and a flag that
        // makes the new incarnation tell its agent.
        var taskProps = FactoryProps.Create(() =>
        {
            int n = incarnation++;
            var env = spec.Family.CreateEnv(options, tasks.Sample(new Random(TaskSeeds.Mix(seed, n))));
            if (spec.WrapEnv is { } wrap) env = wrap(env, TaskSeeds.Mix(seed, n, 1));
            return new TaskActor<TObs, TAction, TTask>(env, tasks, TaskSeeds.Mix(seed, n, 2), spec.EpisodesPerTrial, restarted: n > 0);
        });
        return FactoryProps.Create(() => new AgentActor<TObs, TAction>(index, taskProps,
            new Rl2Input<TObs, TAction>(probeEnv.ObservationSpace, probeEnv.ActionSpace, spec.TrialProgress ? spec.EpisodesPerTrial : 0,
                spec.EpisodeNoise, TaskSeeds.Mix(seed, 3)),
            ActionCodec.For(probeEnv.ActionSpace), spec.MemorySize, batcher, learner, stats, spec.RecordMeanRewards, host));
    }
}
