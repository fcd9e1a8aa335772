namespace MetaRL.Runtime;

/// <summary>What a bounded mailbox does with a message that arrives when it is full.</summary>
public enum OverflowStrategy
{
    /// <summary>The sender's thread waits for room up to <see cref="MailboxOptions.PushTimeout"/>, then the message goes to dead letters.</summary>
    Block,

    /// <summary>The new message goes to dead letters at once.</summary>
    DropNewest,

    /// <summary><c>Tell</c> throws <see cref="MailboxFullException"/> (inside an actor: the sender fails and is supervised).</summary>
    Fail,
}

/// <summary>Thrown by <c>Tell</c> to a full bounded mailbox whose overflow strategy is <see cref="OverflowStrategy.Fail"/>.</summary>
public sealed class MailboxFullException : InvalidOperationException
{
    public MailboxFullException(string message) : base(message) { }
}

/// <summary>An actor's mailbox: unbounded by default; optionally bounded with back-pressure; a batch limit for batching actors.</summary>
public sealed record MailboxOptions
{
    /// <summary>Most messages queued at once; null means unbounded.</summary>
    public int? Capacity { get; init; }

    /// <summary>What happens to a message sent to a full bounded mailbox.</summary>
    public OverflowStrategy Overflow { get; init; } = OverflowStrategy.Block;

    /// <summary>How long a blocked sender waits for room before its message goes to dead letters.</summary>
    public TimeSpan PushTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most messages a <see cref="BatchingActor"/> gets in one call; by default everything queued.</summary>
    public int MaxBatch { get; init; } = int.MaxValue;

    /// <summary>The default: unbounded, lock-free, multi-producer.</summary>
    public static MailboxOptions Unbounded { get; } = new();

    /// <summary>A mailbox of at most <paramref name="capacity"/> messages.</summary>
    public static MailboxOptions Bounded(int capacity, OverflowStrategy overflow = OverflowStrategy.Block, TimeSpan? pushTimeout = null)
    {
        var m = new MailboxOptions { Capacity = capacity, Overflow = overflow, PushTimeout = pushTimeout ?? TimeSpan.FromSeconds(10) };
        m.Validate();
        return m;
    }

    /// <summary>A mailbox that hands a <see cref="BatchingActor"/> up to <paramref name="maxBatch"/> queued messages per call.</summary>
    public static MailboxOptions Batching(int maxBatch = int.MaxValue)
    {
        var m = new MailboxOptions { MaxBatch = maxBatch };
        m.Validate();
        return m;
    }

    internal void Validate()
    {
        if (Capacity is < 1) throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "mailbox capacity must be at least 1");
        if (MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatch), MaxBatch, "mailbox max batch must be at least 1");
        if (PushTimeout < TimeSpan.Zero && PushTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(PushTimeout), PushTimeout, "push timeout must be non-negative or infinite");
    }
}
