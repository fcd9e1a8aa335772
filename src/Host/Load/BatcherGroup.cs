using Akka.Actor;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;

namespace MetaRL.Host.Load;

/// <summary>
/// The load's inference batchers, supervised as the population supervises its own: a batcher that fails (or is killed
/// by the <c>faults</c> scenario) is restarted, gets the newest parameters reported (<see cref="LearnerProbe"/> tells the
/// group) and those the learner holds, and the agents it serves send their pending requests again (<see cref="RestartSignals"/>).
/// </summary>
internal sealed class BatcherGroup : ReceiveActor
{
    /// <summary>Anyone → group: kill batcher <paramref name="Index"/> (Akka's <see cref="Kill"/>: it fails and is restarted).</summary>
    public sealed record KillBatcher(int Index);

    /// <summary>Anyone → group: the learner that owns the parameters (null: none; version 0 stays in force).</summary>
    public sealed record UseLearner(IActorRef Learner);

    /// <summary>Anyone → group: reply with the batchers (an <c>IActorRef[]</c>, batcher b at index b).</summary>
    public sealed record GetBatchers
    {
        public static readonly GetBatchers Instance = new();
    }

    private readonly IActorRef[] _batchers;
    private readonly RestartSignals _restarts;
    private IActorRef? _learner;
    private ParametersUpdated _inForce;

    public BatcherGroup(IReadOnlyList<Props> batchers, RestartSignals restarts, float[] initial)
    {
        _restarts = restarts;
        _inForce = new ParametersUpdated(0, initial);
        _batchers = batchers.Select((p, b) => Context.ActorOf(p, $"batcher-{b}")).ToArray();
        Receive<UseLearner>(m => _learner = m.Learner);
        Receive<ParametersUpdated>(m => _inForce = m.Version > _inForce.Version ? m : _inForce);
        Receive<GetBatchers>(_ => Sender.Tell(_batchers));
        Receive<KillBatcher>(m => _batchers[m.Index].Tell(Kill.Instance));
        Receive<BatcherRestarted>(m =>
        {
            // As the population does: the newest parameters reported at once, and the learner's in force (the batcher keeps the newest).
            var batcher = _batchers[m.BatcherIndex];
            batcher.Tell(_inForce);
            _learner?.Tell(new SendParameters(batcher));
            _restarts.Signal(m.BatcherIndex);
        });
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart, loggingEnabled: false);
}

/// <summary>One signal per batcher that completes when it restarts (and is then replaced): an agent waiting for a reply from it sends its request again.</summary>
internal sealed class RestartSignals(int batchers)
{
    private readonly TaskCompletionSource[] _signals = Enumerable.Range(0, batchers).Select(_ => New()).ToArray();
    private long _restarts;

    /// <summary>Restarts so far, all batchers together.</summary>
    public long Count => Interlocked.Read(ref _restarts);

    /// <summary>Completes at batcher <paramref name="b"/>'s next restart.</summary>
    public Task Next(int b) => Volatile.Read(ref _signals[b]).Task;

    public void Signal(int b)
    {
        Interlocked.Increment(ref _restarts);
        Interlocked.Exchange(ref _signals[b], New()).TrySetResult();
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
