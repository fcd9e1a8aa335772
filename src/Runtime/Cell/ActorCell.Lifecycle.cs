using System.Globalization;

namespace MetaRL.Runtime;

/// <summary>Create, stop and restart; children.</summary>
internal sealed partial class ActorCell
{
    private void Create()
    {
        _state |= CellState.Created;
        try
        {
            var actor = NewActor();
            _actor = actor;
            actor.InvokePreStart();
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e as ActorInitializationException
                ?? new ActorInitializationException(this, $"{_props.ActorType.Name} at {Path.ToStringWithoutAddress()} failed to start: {e.Message}", e));
        }
    }

    private ActorBase NewActor()
    {
        t_constructing = this;
        ActorBase actor;
        try
        {
            actor = _props.NewActor();
        }
        finally
        {
            t_constructing = null;
        }
        if (!ReferenceEquals(actor.Cell, this))
            throw new ActorInitializationException(this, $"the Props factory of {Path.ToStringWithoutAddress()} returned an actor it did not create just now; it must return a new instance each call");
        return actor;
    }

    public IActorRef ActorOf(Props props, string? name = null) => MakeChild(props, name);

    internal ActorCell MakeChild(Props props, string? name)
    {
        ArgumentNullException.ThrowIfNull(props);
        var system = System;
        int uid = system.NextUid();
        if (name is null) name = "$" + uid.ToString(CultureInfo.InvariantCulture);
        else ValidateName(name);
        var child = new ActorCell(this, props, name, system.Dispatcher(props.Dispatcher), uid);
        bool stopAtOnce;
        lock (this)
        {
            _children ??= new Dictionary<string, ActorCell>(StringComparer.Ordinal);
            if (!_children.TryAdd(name, child))
                throw new InvalidActorNameException($"actor name '{name}' is not unique: {Path.ToStringWithoutAddress()}/{name} is alive");
            stopAtOnce = (_state & (CellState.Terminating | CellState.Terminated)) != 0;
        }
        child.Start();
        if (stopAtOnce) child.SendSystemMessage(new Terminate()); // the parent is stopping; the child must not outlive it
        return child;
    }

    private void ValidateName(string name)
    {
        if (name.Length == 0) throw new InvalidActorNameException($"an actor name must not be empty (child of {Path.ToStringWithoutAddress()})");
        if (name[0] == '$') throw new InvalidActorNameException($"actor name '{name}' must not start with '$' (reserved for generated names)");
        foreach (char c in name)
            if (c == '/' || char.IsWhiteSpace(c) || char.IsControl(c))
                throw new InvalidActorNameException($"actor name '{name}' must not contain '/', white space or control characters");
    }

    public IReadOnlyCollection<IActorRef> Children
    {
        get
        {
            lock (this) return _children is null ? [] : [.. _children.Values];
        }
    }

    internal ActorCell[] ChildCells
    {
        get
        {
            lock (this) return _children is null ? [] : [.. _children.Values];
        }
    }

    public IActorRef Child(string name)
    {
        lock (this) return _children is not null && _children.TryGetValue(name, out var c) ? c : ActorRefs.Nobody;
    }

    private bool IsLiveChild(ActorCell child)
    {
        lock (this) return _children is not null && _children.TryGetValue(child._name, out var c) && ReferenceEquals(c, child);
    }

    public void Stop(IActorRef actor)
    {
        if (actor is not ActorCell cell) return;
        if (ReferenceEquals(cell._parent, this) && ReferenceEquals(t_current, this))
            (Extras.StoppingChildren ??= new HashSet<ActorCell>(ReferenceEqualityComparer.Instance)).Add(cell);
        cell.SendSystemMessage(new Terminate());
    }

    private void HandleTerminate()
    {
        if ((_state & (CellState.Terminating | CellState.Terminated)) != 0) return;
        ActorCell[] children;
        lock (this)
        {
            SetState(CellState.Terminating); // under the lock: ActorOf after this stops its child at once
            children = _children is null ? [] : [.. _children.Values];
        }
        CancelTimersAndReceiveTimeout();
        if (_extras is { PendingTask: not null } x) x.PendingTask = null; // an async handler in flight is abandoned
        if (children.Length == 0) FinishTerminate();
        else foreach (var child in children) child.SendSystemMessage(new Terminate());
    }

    private void HandleChildTerminated(ActorCell child)
    {
        bool none;
        lock (this)
        {
            if (_children is not null && _children.TryGetValue(child._name, out var c) && ReferenceEquals(c, child)) _children.Remove(child._name);
            none = _children is null || _children.Count == 0;
            if (none) _children = null;
        }
        if (_extras is { } x)
        {
            x.StoppingChildren?.Remove(child);
            x.RestartStats?.Remove(child);
        }
        if ((_state & CellState.Terminating) != 0)
        {
            if (none) FinishTerminate();
        }
        else if ((_state & CellState.Recreating) != 0)
        {
            if (_extras!.StoppingChildren is not { Count: > 0 }) FinishRecreate(_extras.RecreateCause!);
        }
        else if (_parent is null && ReferenceEquals(child, System.UserGuardianCell))
        {
            SendSystemMessage(new Terminate()); // the root: /user is gone, so the system shuts down
        }
    }

    /// <summary>Children are gone: PostStop, tell watchers and the parent, close the mailbox.</summary>
    private void FinishTerminate()
    {
        if (_actor is { } actor)
        {
            try
            {
                actor.InvokePostStop();
            }
            catch (Exception e)
            {
                System.LogActorError(this, e, "PostStop threw");
            }
        }
        _actor = null;
        SetState(CellState.Terminated, CellState.Terminating);
        var x = _extras;
        System.EventStream.UnsubscribeDead(this);
        if (x is not null)
        {
            if (x.WatchedBy is { } watchers)
                foreach (var w in watchers) w.SendSystemMessage(new DeathWatchNotification(this));
            if (x.Watching is { } watched)
                foreach (var w in watched) w.SendSystemMessage(new Unwatch(w, this));
            x.Gate?.Close();
        }
        Interlocked.Or(ref _schedule, Closed);
        var late = Interlocked.Exchange(ref _systemMessages, ClosedMarker.Instance);
        for (; late is not null; late = late.Next) OnSystemMessageToDeadCell(late);
        if (x is not null)
        {
            while (x.Front is { Count: > 0 } front)
            {
                var e = front.Pop();
                System.SendDeadLetter(e.Message, e.Sender, this);
            }
            if (x.Stash is { } stash)
                foreach (var e in stash) System.SendDeadLetter(e.Message, e.Sender, this);
        }
        DrainToDeadLetters();
        _extras = x?.Gate is null ? null : new CellExtras { Gate = x.Gate }; // free what a dead actor no longer needs
        if (_parent is not null) _parent.SendSystemMessage(new ChildTerminated(this));
        else System.OnRootTerminated();
    }

    private void OnSystemMessageToDeadCell(SystemMessage message)
    {
        // A watch of a dead actor is answered at once; anything else is moot.
        if (message is Watch w && ReferenceEquals(w.Watchee, this)) w.Watcher.SendSystemMessage(new DeathWatchNotification(this));
    }

    private void HandleRecreate(Exception cause)
    {
        if ((_state & (CellState.Terminating | CellState.Terminated)) != 0) return;
        var old = _actor;
        var failedMessage = _extras?.FailedMessage;
        SetState(CellState.Recreating);
        if (old is not null)
        {
            CancelTimersAndReceiveTimeout(keepReceiveTimeout: true);
            UnstashAllForRestart();
            if (_extras is { } x)
            {
                x.PendingTask = null;
                x.BehaviorStack?.Clear();
            }
            try
            {
                old.InvokePreRestart(cause, failedMessage);
            }
            catch (Exception e)
            {
                System.LogActorError(this, e, "PreRestart threw");
            }
        }
        if (_extras?.StoppingChildren is { Count: > 0 })
            Extras.RecreateCause = cause; // PreRestart stopped children: wait until they are gone (their names get reused)
        else
            FinishRecreate(cause);
    }

    private void FinishRecreate(Exception cause)
    {
        if (_extras is { } x)
        {
            x.RecreateCause = null;
            x.FailedMessage = null;
        }
        SetState(0, CellState.Recreating | CellState.Failed | CellState.AwaitingAsync);
        _actor = null;
        try
        {
            var fresh = NewActor();
            _actor = fresh;
            fresh.InvokePostRestart(cause);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e as ActorInitializationException
                ?? new ActorInitializationException(this, $"{_props.ActorType.Name} at {Path.ToStringWithoutAddress()} failed to restart: {e.Message}", e));
        }
    }

    private void HandleResume()
    {
        if ((_state & CellState.Failed) == 0) return;
        if (_actor is null)
        {
            // Nothing to resume: the constructor failed. As in Akka, Resume then means a fresh start.
            FinishRecreate(_extras?.RecreateCause ?? new InvalidOperationException("resumed an actor whose constructor failed"));
            return;
        }
        if (_extras is { } x) x.FailedMessage = null;
        SetState(0, CellState.Failed);
    }
}
