namespace MetaRL.Runtime;

/// <summary>
/// Async handlers: the handler runs with the actor's synchronization context, so every continuation after an
/// await comes back as a system message and runs inside the actor's turn (one at a time, with Self and Sender
/// intact). User messages wait until the handler's task has completed.
/// </summary>
internal sealed partial class ActorCell
{
    internal void RunTask(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!ReferenceEquals(t_current, this))
            throw new InvalidOperationException($"RunTask/ReceiveAsync of {Path.ToStringWithoutAddress()} must run inside the actor, while it processes a message");
        if ((_state & CellState.AwaitingAsync) != 0)
            throw new InvalidOperationException($"{Path.ToStringWithoutAddress()} already awaits an async handler; start one per message");
        var x = Extras;
        var context = x.SyncContext ??= new ActorSynchronizationContext(this);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        Task task;
        try
        {
            task = action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult(); // rethrows a failure into Invoke, which supervises it
            return;
        }
        x.PendingTask = task;
        SetState(CellState.AwaitingAsync);
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => SendSystemMessage(new AsyncCompleted(task)));
    }

    private void RunContinuation(AsyncContinuation continuation)
    {
        if ((_state & (CellState.Terminating | CellState.Terminated)) != 0) return; // the actor stops: the handler is abandoned
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_extras?.SyncContext);
        try
        {
            continuation.Callback(continuation.State);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void HandleAsyncCompleted(Task task)
    {
        if (_extras is not { } x || !ReferenceEquals(x.PendingTask, task)) return; // stale: failed, restarted or stopped meanwhile
        x.PendingTask = null;
        SetState(0, CellState.AwaitingAsync);
        if (task.IsFaulted || task.IsCanceled)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                HandleInvokeFailure(e);
                return;
            }
        }
        if (x.ReceiveTimeout is not null) x.LastActivity = System.Scheduler.MonotonicClock;
        _message = null;
        _sender = null;
    }

    internal void PostContinuation(SendOrPostCallback callback, object? state) => SendSystemMessage(new AsyncContinuation(callback, state));

    internal bool IsRunningOnThisThread => ReferenceEquals(t_current, this);
}

/// <summary>Routes an async handler's continuations back into its actor.</summary>
internal sealed class ActorSynchronizationContext(ActorCell cell) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => cell.PostContinuation(d, state);

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (!cell.IsRunningOnThisThread) throw new NotSupportedException("synchronous Send into an actor from outside it would block its turn");
        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
