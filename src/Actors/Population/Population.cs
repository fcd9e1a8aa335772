using System.Diagnostics;
using MetaRL.Actors.Agents;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Tasks;
using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Environments.Wrappers;
using MetaRL.Runtime;

namespace MetaRL.Actors.Population;

/// <summary>
/// The supervisor of a meta-training population (DESIGN.md §2): it builds the batchers, the learner and the
/// agents (each with its task actor) from a <see cref="PopulationSpec{TObs,TTask}"/>, starts the agents, and
/// reports progress after every update. Paths: <c>/user/&lt;name&gt;/agent-17/task</c>, <c>…/batcher-0</c>, <c>…/learner</c>.
/// </summary>
public sealed class Population<TObs, TTask> : ReceiveActor
{
    private readonly PopulationSpec<TObs, TTask> _spec;
    private readonly IPopulationObserver _observer;
    private readonly Stopwatch _clock = new();
    private readonly List<InferenceStatistics> _inference = [];

    public Population(PopulationSpec<TObs, TTask> spec, IPopulationObserver observer)
    {
        _spec = spec;
        _observer = observer;
        Receive<UpdateCompleted>(OnUpdate);
        Receive<GetPopulationStatistics>(_ => Sender.Tell(new PopulationSnapshot(Statistics.Steps, Statistics.Trials, Statistics.Faults, MeanBatch(), _clock.Elapsed), Self));
    }

    /// <summary>Counters of all agents.</summary>
    public AgentStatistics Statistics { get; } = new();

    protected override void PreStart()
    {
        var o = _spec.Options;
        var initial = new ParametersUpdated(0, _spec.Trainer.GetParameters());
        var batchers = new IActorRef[o.Batchers];
        for (int b = 0; b < o.Batchers; b++)
        {
            int served = o.Agents / o.Batchers + (b < o.Agents % o.Batchers ? 1 : 0);
            var settings = new BatcherSettings(o.Mode, served, o.MaxBatch == 0 ? served : Math.Min(o.MaxBatch, served),
                TimeSpan.FromMilliseconds(o.MaxWaitMs), o.EffectiveTrialsPerUpdate / Math.Max(1, o.Agents), TaskSeeds.Mix(_spec.Seed, 1, b));
            var stats = new InferenceStatistics();
            _inference.Add(stats);
            batchers[b] = Context.ActorOf(Props.Create(() => new InferenceBatcher(_spec.PolicyFactory(), settings, stats))
                .WithMailbox(MailboxOptions.Batching()), $"batcher-{b}");
            batchers[b].Tell(initial, Self);
        }
        var learnerSettings = new LearnerSettings(o.Mode, o.EffectiveTrialsPerUpdate, o.MaxPolicyLag, _spec.TotalUpdates);
        var learner = Context.ActorOf(Props.Create(() => new Learner(_spec.Trainer, learnerSettings, batchers, Self)), "learner");

        var tasks = _spec.Family.CreateDistribution(_spec.EnvOptions);
        var probeEnv = _spec.Family.CreateEnv(_spec.EnvOptions, tasks.Sample(new Random(_spec.Seed)));
        for (int i = 0; i < o.Agents; i++)
        {
            var agentProps = AgentProps(i, tasks, probeEnv, _spec.MemorySize, batchers[i % o.Batchers], learner);
            Context.ActorOf(agentProps, $"agent-{i}").Tell(StartAgent.Instance, Self);
        }
        _clock.Start();
    }

    private Props AgentProps(int index, ITaskDistribution<TTask> tasks, ITaskEnv<TObs, int, TTask> probeEnv, int memorySize, IActorRef batcher, IActorRef learner)
    {
        int seed = TaskSeeds.Mix(_spec.Seed, 2, index);
        int incarnation = 0;
        // The factory runs again on every restart of the task actor: a fresh env, a fresh seed, and a flag that
        // makes the new incarnation tell its agent.
        var taskProps = Props.Create(() =>
        {
            int n = incarnation++;
            var env = _spec.Family.CreateEnv(_spec.EnvOptions, tasks.Sample(new Random(TaskSeeds.Mix(seed, n))));
            if (_spec.WrapEnv is { } wrap) env = wrap(env, TaskSeeds.Mix(seed, n, 1));
            return new TaskActor<TObs, TTask>(env, tasks, TaskSeeds.Mix(seed, n, 2), _spec.EpisodesPerTrial, restarted: n > 0);
        });
        var stats = Statistics;
        return Props.Create(() => new AgentActor<TObs>(index, taskProps,
            new Rl2Input<TObs, int>(probeEnv.ObservationSpace, probeEnv.ActionSpace, _spec.TrialProgress ? _spec.EpisodesPerTrial : 0),
            memorySize, batcher, learner, stats, _spec.RecordMeanRewards));
    }

    private void OnUpdate(UpdateCompleted update) =>
        _observer.OnProgress(new PopulationProgress(update, Statistics.Steps, Statistics.Trials, Statistics.Faults, MeanBatch(), _clock.Elapsed));

    /// <summary>Mean rows per forward pass so far, over all batchers.</summary>
    private double MeanBatch()
    {
        double rows = 0, batches = 0;
        foreach (var s in _inference) { rows += s.Rows; batches += s.Batches; }
        return batches == 0 ? 0 : rows / batches;
    }
}
