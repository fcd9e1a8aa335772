using Microsoft.Extensions.Logging;

namespace MetaRL.Runtime;

/// <summary>
/// The parts of an actor's state that most actors never use (stash, watches, timers, restarts, async handlers),
/// allocated on first use so that an idle plain actor stays small.
/// </summary>
internal sealed class CellExtras
{
    // Behaviour stack (BecomeStacked): the behaviours below the current one; null entries are the initial Receive.
    public List<Receive?>? BehaviorStack;

    // Stash: set-aside messages, and the unstashed ones that come before the mailbox (top of the stack first).
    public List<Envelope>? Stash;
    public Stack<Envelope>? Front;

    // DeathWatch.
    public HashSet<IInternalActorRef>? Watching;   // who this actor watches
    public HashSet<IInternalActorRef>? WatchedBy;  // who watches this actor
    public HashSet<IActorRef>? TerminatedQueued;   // Terminated messages enqueued and still wanted

    // Supervision.
    public object? FailedMessage;
    public Exception? RecreateCause;
    public HashSet<ActorCell>? StoppingChildren;
    public Dictionary<ActorCell, RestartStatistics>? RestartStats;

    // Async handlers.
    public ActorSynchronizationContext? SyncContext;
    public Task? PendingTask;

    // Timers and the receive timeout.
    public TimerScheduler? Timers;
    public TimeSpan? ReceiveTimeout;
    public ICancelable? ReceiveTimeoutTask;
    public TimeSpan LastActivity;
    public int ReceiveTimeoutGeneration;

    // Mailbox.
    public BoundedGate? Gate;
    public Envelope[]? BatchBuffer;

    public ILogger? Logger;
}

/// <summary>Restarts of one child within the current window (for maxNrOfRetries / withinTimeRange).</summary>
internal sealed class RestartStatistics
{
    public int Count;
    public TimeSpan WindowStart;
}
