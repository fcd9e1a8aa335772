using Akka.Actor;
using MetaRL.Actors.Inference;

namespace MetaRL.Host.Load;

/// <summary>
/// Where a load copy's act replies arrive: one actor reference per agent, the sender of all its requests, as an agent
/// actor is for its own. Because the sender stays the same, a request sent again after a batcher restarted meets the
/// batcher's rule for agents that ask twice (it keeps one, and its reply reaches us either way), and a step allocates
/// no temporary actor, timer or path as an Ask would.
/// </summary>
internal sealed class AgentInbox(ActorPath path, IActorRefProvider provider) : MinimalActorRef
{
    private TaskCompletionSource<ActReply> _reply = NewReply();

    public override ActorPath Path { get; } = path;

    public override IActorRefProvider Provider { get; } = provider;

    /// <summary>The reply to the request about to be sent (call before sending it).</summary>
    public Task<ActReply> Expect() => (_reply = NewReply()).Task;

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is ActReply reply) _reply.TrySetResult(reply);
    }

    private static TaskCompletionSource<ActReply> NewReply() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
