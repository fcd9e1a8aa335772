namespace MetaRL.Runtime;

/// <summary>What a supervisor does with a child that threw.</summary>
public enum Directive
{
    /// <summary>Keep the instance and its state; drop the failing message; go on with the next one.</summary>
    Resume,

    /// <summary>Replace the instance by a fresh one (PreRestart, new instance, PostRestart); the mailbox is kept, the failing message is dropped.</summary>
    Restart,

    /// <summary>Stop the child.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception; its own supervisor decides.</summary>
    Escalate,
}

/// <summary>
/// How an actor treats its failing children: a decider maps the exception to a <see cref="Directive"/>, and a retry
/// limit (at most <see cref="MaxNrOfRetries"/> restarts within <see cref="WithinTimeRange"/>) turns further
/// restarts into a stop. <see cref="OneForOneStrategy"/> applies the directive to the failing child only,
/// <see cref="AllForOneStrategy"/> to all its siblings too.
/// </summary>
public abstract class SupervisorStrategy
{
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        if (maxNrOfRetries < -1) throw new ArgumentOutOfRangeException(nameof(maxNrOfRetries), maxNrOfRetries, "maxNrOfRetries must be -1 (no limit) or more");
        if (withinTimeRange is { } w && w <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(withinTimeRange), w, "withinTimeRange must be positive (null: no window)");
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>Restarts allowed per child within the window; -1 means no limit, 0 means never restart (stop instead).</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window of the retry limit; null means over the child's lifetime.</summary>
    public TimeSpan? WithinTimeRange { get; }

    /// <summary>Maps a child's exception to a directive.</summary>
    public Func<Exception, Directive> Decider { get; }

    /// <summary>Whether failures are logged (Error for restart/stop, Warning for resume).</summary>
    public bool LoggingEnabled { get; init; } = true;

    /// <summary>
    /// Akka's default decider: stop on <see cref="ActorInitializationException"/> (a failing constructor or PreStart),
    /// <see cref="ActorKilledException"/> and <see cref="DeathPactException"/>; restart on any other exception.
    /// </summary>
    public static Directive DefaultDecider(Exception exception) => exception switch
    {
        ActorInitializationException or ActorKilledException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>One-for-one with the default decider and no retry limit.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>Stops any child that fails.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    internal void HandleFailure(ActorCell supervisor, ActorCell child, Exception cause)
    {
        Directive directive;
        try
        {
            directive = Decider(cause);
        }
        catch (Exception e)
        {
            supervisor.System.LogActorError(supervisor, e, "the supervisor's decider threw; escalating");
            directive = Directive.Escalate;
        }
        if (LoggingEnabled) supervisor.System.LogFailure(child, cause, directive);
        switch (directive)
        {
            case Directive.Resume:
                supervisor.ResumeChild(child);
                break;
            case Directive.Restart:
                ProcessFailure(supervisor, restart: true, child, cause);
                break;
            case Directive.Stop:
                ProcessFailure(supervisor, restart: false, child, cause);
                break;
            default:
                supervisor.Escalate(cause);
                break;
        }
    }

    private protected abstract void ProcessFailure(ActorCell supervisor, bool restart, ActorCell child, Exception cause);
}

/// <summary>Applies the directive to the failing child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>A strategy with a retry limit: at most <paramref name="maxNrOfRetries"/> restarts per child within <paramref name="withinTimeRange"/>.</summary>
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    /// <summary>A strategy without a retry limit.</summary>
    public OneForOneStrategy(Func<Exception, Directive> decider) : base(-1, null, decider) { }

    private protected override void ProcessFailure(ActorCell supervisor, bool restart, ActorCell child, Exception cause)
    {
        if (restart && supervisor.RequestRestartPermission(child, MaxNrOfRetries, WithinTimeRange)) supervisor.RestartChild(child, cause);
        else supervisor.StopChild(child);
    }
}

/// <summary>Applies Restart and Stop to every child of the supervisor (Resume only to the failing one).</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>A strategy with a retry limit: at most <paramref name="maxNrOfRetries"/> restarts per child within <paramref name="withinTimeRange"/>.</summary>
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    /// <summary>A strategy without a retry limit.</summary>
    public AllForOneStrategy(Func<Exception, Directive> decider) : base(-1, null, decider) { }

    private protected override void ProcessFailure(ActorCell supervisor, bool restart, ActorCell child, Exception cause)
    {
        var children = supervisor.ChildCells;
        if (restart && children.All(c => supervisor.RequestRestartPermission(c, MaxNrOfRetries, WithinTimeRange)))
            foreach (var c in children) supervisor.RestartChild(c, cause);
        else
            foreach (var c in children) supervisor.StopChild(c);
    }
}
