using Akka.Actor;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;

namespace MetaRL.Host.Load;

/// <summary>
/// The load's inference batchers, supervised as the population supervises its own: a batcher that fails (or is killed
/// by the <c>faults</c> scenario) is restarted, the learner sends it the parameters in force, and the agents it serves
/// send their pending requests again (<see cref="Restarted"/>). Without a learner the group itself resends version 0.
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
    private readonly float[] _initial;
    private IActorRef? _learner;

    public BatcherGroup(IReadOnlyList<Props> batchers, RestartSignals restarts, float[] initial)
    {
        _restarts = restarts;
        _initial = initial;
        _batchers = batchers.Select((p, b) => Context.ActorOf(p, $"batcher-{b}")).ToArray();
        Receive<UseLearner>(m => _learner = m.Learner);
        Receive<GetBatchers>(_ => Sender.Tell(_batchers));
        Receive<KillBatcher>(m => _batchers[m.Index].Tell(Kill.Instance));
        Receive<BatcherRestarted>(m =>
        {
            var batcher = _batchers[m.BatcherIndex];
            if (_learner is { } learner) learner.Tell(new SendParameters(batcher));
            else batcher.Tell(new ParametersUpdated(0, _initial));
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
