using System.Diagnostics;
using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Event;
using MetaRL.Actors.Agents;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Tasks;
using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Environments.Wrappers;

namespace MetaRL.Actors.Population;

/// <summary>
/// The supervisor of a meta-training population (docs/architecture.md §2): it builds the batchers, the learner and the
/// agents (each with its task actor) from a <see cref="PopulationSpec{TObs,TAction,TTask}"/>, starts the agents, and
/// reports progress after every update. Paths: <c>/user/&lt;name&gt;/agent-17/task</c>, <c>…/batcher-0</c>, <c>…/learner</c>.
/// Batchers and the learner run on <see cref="MetaRlAkka.ComputeDispatcher"/>, agents and tasks on the default one.
/// </summary>
/// <remarks>
/// Supervision: a batcher holds nothing that cannot be rebuilt (parameters come from the learner, requests from
/// the agents), so it is restarted, at most <see cref="MaxBatcherRestarts"/> times a minute, and its agents are
/// asked to send their requests again. Any other failure (the learner, whose version and optimizer state a
/// restart would lose; an agent; the observer) stops the population and reports one <see cref="PopulationFailure"/>:
/// the run ends rather than waits.
/// </remarks>
public sealed class Population<TObs, TAction, TTask> : ReceiveActor
{
    /// <summary>Restarts a batcher may take within a minute before the run is failed.</summary>
    public const int MaxBatcherRestarts = 3;

    private sealed record ChildFailed(string ActorPath, Exception Error);

    private readonly PopulationSpec<TObs, TAction, TTask> _spec;
    private readonly IPopulationObserver _observer;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _clock = new();
    private readonly List<InferenceStatistics> _inference = [];
    private IActorRef[] _batchers = [];
    private IActorRef[] _agents = [];
    private IActorRef _learner = ActorRefs.Nobody;
    private bool _failed;
    private ParametersUpdated? _inForce; // the newest parameters the learner reported: a restarted batcher gets them at once

    public Population(PopulationSpec<TObs, TAction, TTask> spec, IPopulationObserver observer)
    {
        _spec = spec;
        _observer = observer;
        Receive<UpdateCompleted>(OnUpdate);
        Receive<LearnerStarted>(OnLearnerStarted);
        Receive<GetPopulationStatistics>(_ => Sender.Tell(new PopulationSnapshot(Statistics.Steps, Statistics.Trials, Statistics.Faults, MeanBatch(_inference), _clock.Elapsed), Self));
        Receive<BatcherRestarted>(OnBatcherRestarted);
        // Asked of the population, not of its learner by path: a message here waits until the children exist.
        Receive<FlushCheckpoint>(m => _learner.Forward(m));
        Receive<ChildFailed>(f => Fail(new PopulationFailure(f.ActorPath, f.Error)));
    }

    /// <summary>Counters of all agents.</summary>
    public AgentStatistics Statistics { get; } = new();

    protected override SupervisorStrategy SupervisorStrategy() => new Supervision(this);

    protected override void PreStart()
    {
        try
        {
            Build();
        }
        catch (Exception e)
        {
            Fail(new PopulationFailure(Self.Path.ToString(), e));
        }
    }

    private void Build()
    {
        var o = _spec.Options;
        _batchers = new IActorRef[o.Batchers];
        for (int b = 0; b < o.Batchers; b++)
        {
            int served = o.Agents / o.Batchers + (b < o.Agents % o.Batchers ? 1 : 0);
            var settings = new BatcherSettings(o.Mode, served, o.MaxBatch == 0 ? served : Math.Min(o.MaxBatch, served),
                TimeSpan.FromMilliseconds(o.MaxWaitMs), o.EffectiveTrialsPerUpdate / Math.Max(1, o.Agents), TaskSeeds.Mix(_spec.Seed, 1, b), b,
                _spec.TorchThreads);
            var stats = new InferenceStatistics();
            _inference.Add(stats);
            _batchers[b] = Context.ActorOf(FactoryProps.Create(() => new InferenceBatcher(_spec.PolicyFactory, settings, stats))
                .WithDispatcher(MetaRlAkka.ComputeDispatcher), $"batcher-{b}");
        }
        var learnerSettings = new LearnerSettings(o.Mode, o.EffectiveTrialsPerUpdate, o.MaxPolicyLag, _spec.TotalUpdates, _spec.TorchThreads,
            _spec.Persistence, o.Groups is { Count: > 0 } ? _spec.GroupStarts : null, _spec.Evaluation);
        // Captured now: a factory runs inside the child's construction, where Self and Context are the child's.
        var batchers = _batchers;
        var self = Self;
        var statistics = Statistics;
        var inference = _inference;
        var clock = _clock;
        Func<RunCounters> counters = () =>
            new RunCounters(statistics.Steps, statistics.Trials, statistics.Faults, MeanBatch(inference), clock.Elapsed.TotalSeconds);
        _learner = Context.ActorOf(FactoryProps.Create(() => new Learner(_spec.TrainerFactory, learnerSettings, batchers, self, counters))
            .WithDispatcher(MetaRlAkka.ComputeDispatcher), "learner");
        // The agents are built once the learner is ready (LearnerStarted): a resumed run's first trial depends on its checkpoint.
    }

    /// <summary>
    /// The learner is ready at <see cref="LearnerStarted.Version"/>: build the agents and start them at the trial that
    /// version calls for. In lockstep, update v follows round v, so every agent starts trial v × rounds-per-update,
    /// exactly where the uninterrupted run would be; in async mode, past every trial the run has counted.
    /// </summary>
    private void OnLearnerStarted(LearnerStarted started)
    {
        try
        {
            _observer.OnStarted(started);
        }
        catch (Exception e)
        {
            Fail(new PopulationFailure($"{Self.Path} (its progress observer)", e));
            return;
        }
        var o = _spec.Options;
        int roundsPerUpdate = o.EffectiveTrialsPerUpdate / Math.Max(1, o.Agents);
        long first = o.Mode == BatchingMode.Lockstep
            ? started.Version * roundsPerUpdate
            : (started.Counters.Trials + started.Counters.Faults) / Math.Max(1, o.Agents) + started.Version + 1;
        if (first > int.MaxValue)
        {
            Fail(new PopulationFailure(Self.Path.ToString(), new InvalidOperationException($"trial index {first} is past what a run can count")));
            return;
        }
        var factory = new AgentFactory<TObs, TAction, TTask>(_spec);
        _agents = new IActorRef[o.Agents];
        var start = new StartAgent((int)first);
        for (int i = 0; i < o.Agents; i++)
        {
            _agents[i] = Context.ActorOf(factory.For(i, _batchers[i % o.Batchers], _learner, Statistics), $"agent-{i}");
            _agents[i].Tell(start, Self);
        }
        _clock.Start();
    }

    private void OnUpdate(UpdateCompleted update)
    {
        _inForce = new ParametersUpdated(update.Version, update.Parameters);
        if (_failed) return;
        try
        {
            var c = update.Counters;
            _observer.OnProgress(new PopulationProgress(update, c.EnvSteps, c.Trials, c.Faults, c.MeanBatch, TimeSpan.FromSeconds(c.Seconds)));
        }
        catch (Exception e)
        {
            Fail(new PopulationFailure($"{Self.Path} (its progress observer)", e));
        }
    }

    /// <summary>
    /// A restarted batcher gets the newest parameters reported at once, and the learner is asked for the ones in force
    /// (the same, or newer: the batcher keeps the newest); its agents that wait for a reply ask again. Without the
    /// first, a batcher restarted while the learner was updating stood idle, its agents with it, until the update
    /// was done (seconds; found by <c>metarl load faults</c>).
    /// </summary>
    private void OnBatcherRestarted(BatcherRestarted restarted)
    {
        int b = restarted.BatcherIndex;
        _log.Warning("batcher-{0} restarted after {1}; it reloads the parameters in force and its agents send their requests again", b, restarted.Reason);
        if (_inForce is { } parameters) _batchers[b].Tell(parameters, Self);
        _learner.Tell(new SendParameters(_batchers[b]), Self);
        for (int i = b; i < _agents.Length; i += _batchers.Length) _agents[i].Tell(ResendActRequest.Instance, Self);
    }

    private void Fail(PopulationFailure failure)
    {
        if (_failed) return;
        _failed = true;
        _observer.TellFailed(failure, _log, "the population");
        Context.Stop(Self);
    }

    /// <summary>Mean rows per forward pass so far, over all batchers.</summary>
    private static double MeanBatch(IReadOnlyList<InferenceStatistics> inference)
    {
        double rows = 0, batches = 0;
        foreach (var s in inference) { rows += s.Rows; batches += s.Batches; }
        return batches == 0 ? 0 : rows / batches;
    }

    /// <summary>Batchers restart (within their budget); every other child, or a batcher past it, is stopped and fails the population.</summary>
    private sealed class Supervision(Population<TObs, TAction, TTask> owner)
        : OneForOneStrategy(MaxBatcherRestarts, 60_000, (Func<Exception, Directive>)(_ => Directive.Restart))
    {
        protected override Directive Handle(IActorRef child, Exception exception) =>
            Array.IndexOf(owner._batchers, child) >= 0 ? Directive.Restart : Directive.Stop;

        public override void ProcessFailure(IActorContext context, bool restart, IActorRef child, Exception cause, ChildRestartStats stats,
            IReadOnlyCollection<ChildRestartStats> children)
        {
            if (restart && stats.RequestRestartPermission(MaxNumberOfRetries, WithinTimeRangeMilliseconds))
            {
                RestartChild(child, cause, suspendFirst: false);
                return;
            }
            context.Stop(child);
            context.Self.Tell(new ChildFailed(child.Path.ToString(), cause is ActorInitializationException { InnerException: { } inner } ? inner : cause));
        }
    }
}
