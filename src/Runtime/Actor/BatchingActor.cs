namespace MetaRL.Runtime;

/// <summary>
/// An actor that takes its mailbox in batches: each call gets everything queued (up to
/// <see cref="MailboxOptions.MaxBatch"/>), in arrival order. Made for an inference batcher that collects the requests
/// of thousands of agents into one forward pass. PoisonPill, Kill, timers and receive timeouts still act between
/// batches, in order; a batch that throws is supervised like a failing message and is not redelivered.
/// </summary>
public abstract class BatchingActor : ActorBase
{
    /// <summary>Handles every message in <paramref name="batch"/>; the span is valid only during the call.</summary>
    protected abstract void OnReceiveBatch(ReadOnlySpan<Envelope> batch);

    internal void InvokeBatch(ReadOnlySpan<Envelope> batch) => OnReceiveBatch(batch);

    /// <summary>A message that reaches the actor outside a batch (a timer's, a Terminated) comes as a batch of one.</summary>
    protected sealed override bool Receive(object message)
    {
        var one = new Envelope(message, Sender);
        OnReceiveBatch(new ReadOnlySpan<Envelope>(in one));
        return true;
    }
}
