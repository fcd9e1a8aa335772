using Akka.Actor;
using Akka.Event;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Population;

namespace MetaRL.Actors.Cluster;

/// <summary>
/// The run's owner on the seed node (docs/architecture.md §5), in the place an in-process <see cref="Population{TObs,TAction,TTask}"/>
/// holds: the learner singleton reports to it wherever it lives, and it passes the reports to the run's observer
/// (metrics.csv, the progress line). When the learner first starts it wakes every agent through the shard region (each
/// starts on whichever node holds its shard); a learner that starts again (it moved to another node) is only logged.
/// The agents are woken once the learner has started and the seed's own shard region is up (a learner on another
/// node may be ready before it: the owner then looks again every <see cref="RegionRetry"/>).
/// A clean stop goes through it to the learner (<see cref="FlushCheckpoint"/>), and so does the end (<see cref="RunEnded"/>).
/// </summary>
public sealed class RunOwner : ReceiveActor, IWithTimers
{
    private readonly IPopulationObserver _observer;
    private readonly Func<IActorRef> _learner;
    private readonly Func<IActorRef> _region;
    private readonly int _agents;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private PopulationProgress? _latest;
    private bool _started;
    private bool _woken;

    /// <summary>Between two looks for the seed's shard region while it is starting.</summary>
    public static readonly TimeSpan RegionRetry = TimeSpan.FromMilliseconds(200);

    private sealed record WakeAgents
    {
        public static readonly WakeAgents Instance = new();
    }
    private bool _failed;

    /// <param name="observer">The run's observer, called on this actor's thread.</param>
    /// <param name="learner">The learner singleton's proxy (asked for once the cluster is up).</param>
    /// <param name="region">The agents' shard region.</param>
    /// <param name="agents">Agents in the population.</param>
    public RunOwner(IPopulationObserver observer, Func<IActorRef> learner, Func<IActorRef> region, int agents)
    {
        _observer = observer;
        _learner = learner;
        _region = region;
        _agents = agents;
        Receive<LearnerStarted>(OnLearnerStarted);
        Receive<WakeAgents>(_ => Wake());
        Receive<UpdateCompleted>(OnUpdate);
        Receive<LearnerFailed>(f => Fail(new PopulationFailure(f.ActorPath, new InvalidOperationException(f.Error))));
        Receive<FlushCheckpoint>(m => _learner().Forward(m));
        Receive<RunEnded>(m => _learner().Tell(m, Self));
        Receive<GetPopulationStatistics>(_ =>
        {
            var c = _latest;
            Sender.Tell(new PopulationSnapshot(c?.EnvSteps ?? 0, c?.Trials ?? 0, c?.Faults ?? 0, c?.MeanBatch ?? 0, c?.Elapsed ?? TimeSpan.Zero), Self);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void OnLearnerStarted(LearnerStarted started)
    {
        if (_started)
        {
            _log.Warning("the learner started again at update {0} (on {1}): it resumed from its last checkpoint", started.Version, Sender.Path.Address);
            return;
        }
        _started = true;
        if (!Call(() => _observer.OnStarted(started))) return;
        Wake();
    }

    private void Wake()
    {
        if (_woken || _failed) return;
        IActorRef region;
        try
        {
            region = _region();
        }
        catch (ArgumentException) // sharding: "Shard type [agent] must be started first"
        {
            Timers.StartSingleTimer(WakeAgents.Instance, WakeAgents.Instance, RegionRetry);
            return;
        }
        _woken = true;
        for (int i = 0; i < _agents; i++) region.Tell(new WakeAgent(i), Self);
    }

    private void OnUpdate(UpdateCompleted update)
    {
        var c = update.Counters;
        _latest = new PopulationProgress(update, c.EnvSteps, c.Trials, c.Faults, c.MeanBatch, TimeSpan.FromSeconds(c.Seconds));
        Call(() => _observer.OnProgress(_latest));
    }

    /// <summary>An observer that throws fails the run, as it does in-process: once, then this actor stops.</summary>
    private bool Call(Action call)
    {
        if (_failed) return false;
        try
        {
            call();
            return true;
        }
        catch (Exception e)
        {
            Fail(new PopulationFailure($"{Self.Path} (its progress observer)", e));
            return false;
        }
    }

    /// <summary>Once: the observer hears why the run cannot go on, and this actor stops (the seed's process watches it).</summary>
    private void Fail(PopulationFailure failure)
    {
        if (_failed) return;
        _failed = true;
        _observer.TellFailed(failure, _log, "the run");
        Context.Stop(Self);
    }
}
