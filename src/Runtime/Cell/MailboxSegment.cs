using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MetaRL.Runtime;

/// <summary>One queued message. The message doubles as the "written" flag: a message is never null.</summary>
internal struct MailboxSlot
{
    public object? Message;
    public IActorRef? Sender;
}

/// <summary>
/// The segment's two moving indexes, each on a cache line of its own and away from the segment's Slots and Next
/// (which both sides read): the consumer's next slot (<see cref="Head"/>, written on every dequeue) and the
/// producers' reservation word (<see cref="State"/>, compare-and-swapped on every enqueue). Sharing a line would make
/// every message move it between the sender's and the receiver's cores twice.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 136)]
internal struct SegmentIndexes
{
    [FieldOffset(64)] public int Head;
    [FieldOffset(128)] public long State;
}

/// <summary>
/// A block of mailbox slots (see ActorCell.Mailbox.cs for the queue). Segments are reused through small per-thread
/// pools, because a segment is given back whenever its mailbox runs empty (so that an idle actor holds none) and a
/// busy actor's mailbox runs empty many times a second.
/// <para>
/// <see cref="SegmentIndexes.State"/> packs a generation (high 32 bits), a closed bit and the number of slots reserved. Producers
/// reserve a slot by a compare-and-swap of the whole word, so a producer that read a segment before it was recycled
/// fails on the new generation instead of writing into another mailbox.
/// </para>
/// </summary>
internal sealed class MailboxSegment
{
    /// <summary>The first segment of a mailbox that was empty: most actors have a message or two queued at a time.</summary>
    public const int SmallCapacity = 2;

    /// <summary>The segments after the first: a backlog moves to a new segment (and a pool round trip) every 128 messages.</summary>
    public const int LargeCapacity = 128;

    public const long CountMask = 0x7FFF_FFFF;
    public const long ClosedBit = 0x8000_0000;
    private const long GenerationOne = 1L << 32;

    // Per thread: segments given back by the consumers that ran here, taken by the producers that run here. Actors
    // that talk to each other run on the same few workers, so what one thread gives back it soon takes again.
    private const int PoolLimit = 16;
    [ThreadStatic] private static MailboxSegment? t_small;
    [ThreadStatic] private static MailboxSegment? t_large;
    [ThreadStatic] private static int t_smallCount;
    [ThreadStatic] private static int t_largeCount;

    // Shared, bounded: what a thread gives back beyond its own pool, for threads that take more than they give back
    // (a thread that only sends, such as the one spawning actors and telling each one message, or a pinger whose
    // ponger runs on the other worker). Without it those threads allocate a segment per empty mailbox they write to.
    private const int SharedLimit = 1024;
    private static readonly ConcurrentQueue<MailboxSegment> s_small = new();
    private static readonly ConcurrentQueue<MailboxSegment> s_large = new();
    private static int s_smallCount;
    private static int s_largeCount;

    public readonly MailboxSlot[] Slots;

    /// <summary>The segment after this one; written once by the producer that appended it, read by the consumer. In a pool: the next pooled segment.</summary>
    public MailboxSegment? Next;

    public SegmentIndexes Indexes;

    private MailboxSegment(int capacity) => Slots = new MailboxSlot[capacity];

    /// <summary>Reserved slots (written or about to be), or more than the capacity once a producer appends the next segment.</summary>
    public static int Count(long state) => (int)(state & CountMask);

    /// <summary>A segment (from this thread's pool when it has one) whose slot 0 holds the message and is reserved.</summary>
    public static MailboxSegment Rent(bool large, object message, IActorRef? sender)
    {
        MailboxSegment? segment;
        if (large)
        {
            segment = t_large;
            if (segment is not null)
            {
                t_large = segment.Next;
                t_largeCount--;
            }
            else if (Volatile.Read(ref s_largeCount) > 0 && s_large.TryDequeue(out segment)) Interlocked.Decrement(ref s_largeCount);
        }
        else
        {
            segment = t_small;
            if (segment is not null)
            {
                t_small = segment.Next;
                t_smallCount--;
            }
            else if (Volatile.Read(ref s_smallCount) > 0 && s_small.TryDequeue(out segment)) Interlocked.Decrement(ref s_smallCount);
        }
        segment ??= new MailboxSegment(large ? LargeCapacity : SmallCapacity);
        segment.Next = null;
        segment.Indexes.Head = 0;
        ref var slot = ref segment.Slots[0];
        slot.Sender = sender;
        slot.Message = message;
        // Same generation as when it was given back (Return moved it on); the caller publishes the segment with a fence.
        segment.Indexes.State = (segment.Indexes.State & ~(CountMask | ClosedBit)) | 1;
        return segment;
    }

    /// <summary>Takes back a rented segment that was never published (no producer can have reserved a slot in it).</summary>
    public static void GiveBackUnused(MailboxSegment segment)
    {
        segment.Slots[0] = default;
        Return(segment);
    }

    /// <summary>
    /// Takes back a segment that no mailbox references any more and whose slots the consumer has cleared. The new
    /// generation (closed) makes any producer still holding it fail its reservation and look at the mailbox again.
    /// </summary>
    public static void Return(MailboxSegment segment)
    {
        Volatile.Write(ref segment.Indexes.State, ((segment.Indexes.State & ~(CountMask | ClosedBit)) + GenerationOne) | ClosedBit);
        // A producer may still read State, never Next or the slots: Next may link the pool.
        if (segment.Slots.Length == LargeCapacity)
        {
            if (t_largeCount >= PoolLimit)
            {
                GiveToShared(s_large, ref s_largeCount, segment);
                return;
            }
            segment.Next = t_large;
            t_large = segment;
            t_largeCount++;
        }
        else
        {
            if (t_smallCount >= PoolLimit)
            {
                GiveToShared(s_small, ref s_smallCount, segment);
                return;
            }
            segment.Next = t_small;
            t_small = segment;
            t_smallCount++;
        }
    }

    private static void GiveToShared(ConcurrentQueue<MailboxSegment> shared, ref int count, MailboxSegment segment)
    {
        if (Interlocked.Increment(ref count) > SharedLimit)
        {
            Interlocked.Decrement(ref count); // full: the GC takes it
            return;
        }
        segment.Next = null;
        shared.Enqueue(segment);
    }
}
