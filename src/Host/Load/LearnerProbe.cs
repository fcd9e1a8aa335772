using System.Diagnostics;
using Akka.Actor;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Load;
using MetaRL.Policies;

namespace MetaRL.Host.Load;

/// <summary>
/// The load's path to the learner and back, measured. Agents hand their trials to <see cref="Submit"/>, which sends
/// them to the learner in the order they are queued here; the learner takes its messages in that order, and each
/// <see cref="UpdateCompleted"/> says how many it consumed (trained on, dropped as stale, or abandoned), so the probe
/// (the learner's <c>reportTo</c>) knows which submissions an update answered. It records three steps:
/// <list type="bullet">
/// <item><c>trial</c>: a trial's end → the update that trained on it (the queue's oldest of an update's share count as
/// the ones it dropped as stale: failed);</item>
/// <item><c>update</c>: the learner's time for an update (failed: skipped, not finite);</item>
/// <item><c>params</c>: an update's report → each batcher has loaded its parameters (a status request that the batcher
/// answers after the broadcast, which reached its mailbox first).</item>
/// </list>
/// </summary>
internal sealed class LearnerProbe : ReceiveActor
{
    private readonly TrialQueue _queue;
    private readonly StepRecorder _steps;
    private readonly IActorRef[] _batchers;
    private readonly IActorRef _group;

    public LearnerProbe(TrialQueue queue, StepRecorder steps, IActorRef[] batchers, IActorRef group)
    {
        _group = group;
        _queue = queue;
        _steps = steps;
        _batchers = batchers;
        Receive<LearnerStarted>(_ => { });
        Receive<UpdateCompleted>(OnUpdate);
    }

    private void OnUpdate(UpdateCompleted u)
    {
        long now = Stopwatch.GetTimestamp();
        _queue.Answered(u.Trials, u.DroppedStale, u.Abandoned, now, _steps["trial"]);
        var update = _steps["update"];
        if (u.Skipped) update.RecordFailed();
        else update.RecordOk(TimeSpan.FromSeconds(u.Seconds));
        _queue.Updates = u.Version;
        _group.Tell(new ParametersUpdated(u.Version, u.Parameters)); // what a restarted batcher gets at once
        var broadcast = _steps["params"];
        foreach (var batcher in _batchers)
            batcher.Ask<BatcherStatus>(GetBatcherStatus.Instance, TimeSpan.FromSeconds(30)).ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully && t.Result.PolicyVersion >= u.Version) broadcast.RecordOk(Stopwatch.GetElapsedTime(now));
                else broadcast.RecordFailed();
            }, TaskContinuationOptions.ExecuteSynchronously);
    }
}

/// <summary>Trials on their way to the learner, oldest first, with the time each was sent.</summary>
internal sealed class TrialQueue
{
    private readonly Queue<(long Sent, bool Abandoned)> _sent = new();
    private readonly object _gate = new();
    private long _updates;

    /// <summary>Where the trials go (set once the learner is made, before any trial is sent).</summary>
    public IActorRef Learner { get; set; } = ActorRefs.Nobody;

    /// <summary>The learner's version (updates made).</summary>
    public long Updates
    {
        get => Interlocked.Read(ref _updates);
        set => Interlocked.Exchange(ref _updates, value);
    }

    /// <summary>Sends a trial to the learner (in queue order).</summary>
    public void Submit(Trajectory trial) => Send(new TrialCompleted(trial), abandoned: false);

    /// <summary>Tells the learner a trial was lost to an env fault (it counts toward the update's quota).</summary>
    public void Abandon(int agent, int trialIndex) => Send(new TrialAbandoned(agent, trialIndex), abandoned: true);

    private void Send(object message, bool abandoned)
    {
        // One lock for the queue and the send, so the learner's mailbox holds the trials in the queue's order.
        lock (_gate)
        {
            _sent.Enqueue((Stopwatch.GetTimestamp(), abandoned));
            Learner.Tell(message, ActorRefs.NoSender);
        }
    }

    /// <summary>An update consumed this many messages: record the trials' latency (the dropped ones, taken as the oldest, as failed).</summary>
    public void Answered(int trained, int dropped, int abandoned, long now, StepStats trial)
    {
        lock (_gate)
        {
            for (int left = trained + dropped + abandoned; left > 0 && _sent.TryDequeue(out var s); left--)
            {
                if (s.Abandoned) continue; // counted by the env step's failures
                if (dropped > 0)
                {
                    dropped--;
                    trial.RecordFailed();
                }
                else trial.RecordOk(Stopwatch.GetElapsedTime(s.Sent, now));
            }
        }
    }
}
