namespace MetaRL.Runtime;

/// <summary>Failures: the failing child suspends itself and asks its parent, whose strategy decides.</summary>
internal sealed partial class ActorCell
{
    private void HandleInvokeFailure(Exception cause)
    {
        if ((_state & (CellState.Terminating | CellState.Terminated)) != 0)
        {
            System.LogActorError(this, cause, "failed while stopping");
            return;
        }
        if ((_state & CellState.Failed) != 0)
        {
            System.LogActorError(this, cause, "failed again while waiting for its supervisor");
            return;
        }
        var x = Extras;
        x.FailedMessage = _message;
        x.PendingTask = null;
        SetState(CellState.Failed, CellState.AwaitingAsync);
        if (_parent is null) System.OnRootFailure(cause);
        else _parent.SendSystemMessage(new Failed(this, cause));
    }

    private void HandleFailed(Failed failed)
    {
        if ((_state & (CellState.Terminating | CellState.Terminated)) != 0) return; // the child is being stopped anyway
        if (!IsLiveChild(failed.Child)) return;
        SupervisorStrategy strategy;
        try
        {
            strategy = _actor?.InvokeSupervisorStrategy() ?? _props.SupervisorStrategy ?? SupervisorStrategy.DefaultStrategy;
        }
        catch (Exception e)
        {
            System.LogActorError(this, e, "SupervisorStrategy() threw; using the default");
            strategy = SupervisorStrategy.DefaultStrategy;
        }
        strategy.HandleFailure(this, failed.Child, failed.Cause);
    }

    /// <summary>The strategy said Escalate: this actor fails with the child's exception.</summary>
    internal void Escalate(Exception cause)
    {
        _message = null;
        HandleInvokeFailure(cause);
    }

    internal void RestartChild(ActorCell child, Exception cause) => child.SendSystemMessage(new Recreate(cause));

    internal void ResumeChild(ActorCell child) => child.SendSystemMessage(new Resume());

    internal void StopChild(ActorCell child)
    {
        (Extras.StoppingChildren ??= new HashSet<ActorCell>(ReferenceEqualityComparer.Instance)).Add(child);
        child.SendSystemMessage(new Terminate());
    }

    /// <summary>Akka's rule: at most maxRetries restarts of this child within the window (the window restarts when it has passed).</summary>
    internal bool RequestRestartPermission(ActorCell child, int maxRetries, TimeSpan? window)
    {
        if (maxRetries < 0 && window is null) return true;
        if (maxRetries == 0) return false;
        var stats = Extras.RestartStats ??= new Dictionary<ActorCell, RestartStatistics>(ReferenceEqualityComparer.Instance);
        if (!stats.TryGetValue(child, out var s)) stats[child] = s = new RestartStatistics();
        if (window is null) return ++s.Count <= maxRetries;
        int retries = maxRetries < 0 ? 1 : maxRetries;
        var now = System.Scheduler.MonotonicClock;
        if (s.Count == 0 || now - s.WindowStart > window.Value)
        {
            s.Count = 1;
            s.WindowStart = now;
            return true;
        }
        return ++s.Count <= retries;
    }
}
