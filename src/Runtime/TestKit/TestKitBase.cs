using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MetaRL.Runtime.TestKit;

/// <summary>
/// The expectations shared by <see cref="TestKit"/> (whose queue is its TestActor) and <see cref="TestProbe"/>:
/// a ref that queues what it receives, and blocking checks on that queue with timeouts. Failed expectations
/// throw <see cref="TestKitAssertionException"/>; no test framework is needed.
/// </summary>
public abstract class TestKitBase
{
    private static long s_next;
    private readonly BlockingCollection<Envelope> _queue = [];
    private readonly ProbeRef _ref;
    private long _end = long.MaxValue; // Stopwatch timestamp ending the innermost Within block

    private protected TestKitBase(ActorSystem system, TestKitSettings settings, string? name)
    {
        System = system;
        Settings = settings;
        string probeName = name ?? "testProbe-" + Interlocked.Increment(ref s_next).ToString(CultureInfo.InvariantCulture);
        _ref = new ProbeRef(ActorPath.Root(system.Name) / "system" / probeName, _queue);
    }

    /// <summary>The actor system under test.</summary>
    public ActorSystem System { get; }

    /// <summary>The timeouts in use.</summary>
    public TestKitSettings Settings { get; }

    /// <summary>The ref whose messages these expectations check.</summary>
    public IActorRef Ref => _ref;

    /// <summary>The sender of the last message received (dead letters when it had none).</summary>
    public IActorRef LastSender { get; private set; } = ActorRefs.Nobody;

    /// <summary>The last message received.</summary>
    public object? LastMessage { get; private set; }

    /// <summary>Whether a message is waiting.</summary>
    public bool HasMessages => _queue.Count > 0;

    /// <summary>A duration scaled by the time factor.</summary>
    public TimeSpan Dilated(TimeSpan duration) => Settings.Dilated(duration);

    /// <summary>Time left in the innermost <see cref="Within(TimeSpan, Action)"/> block (infinite outside one).</summary>
    public TimeSpan Remaining => _end == long.MaxValue ? Timeout.InfiniteTimeSpan : Left(_end);

    /// <summary>Time left in the innermost Within block, or the dilated default timeout outside one.</summary>
    public TimeSpan RemainingOrDefault => _end == long.MaxValue ? Dilated(Settings.DefaultTimeout) : Left(_end);

    // Sending -------------------------------------------------------------------------------------------------

    /// <summary>Tells <paramref name="message"/> to <paramref name="target"/> with this ref as sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, Ref);

    /// <summary>Replies to the sender of the last message, with this ref as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, Ref);

    /// <summary>Forwards the last message to <paramref name="target"/>, keeping its sender.</summary>
    public void Forward(IActorRef target) =>
        target.Tell(LastMessage ?? throw new TestKitAssertionException("nothing to forward: no message received yet"), LastSender);

    /// <summary>Watches <paramref name="target"/>: this ref gets <see cref="Terminated"/> when it stops.</summary>
    public IActorRef Watch(IActorRef target)
    {
        if (target is not IInternalActorRef t) throw new ArgumentException($"cannot watch {target}: not an actor of this runtime", nameof(target));
        if (_ref.Watching.TryAdd(target, 0)) t.SendSystemMessage(new Watch(t, _ref));
        return target;
    }

    /// <summary>Stops watching <paramref name="target"/>.</summary>
    public IActorRef Unwatch(IActorRef target)
    {
        if (_ref.Watching.TryRemove(target, out _) && target is IInternalActorRef t) t.SendSystemMessage(new Unwatch(t, _ref));
        return target;
    }

    // Expectations ------------------------------------------------------------------------------------------

    /// <summary>Expects a message of type <typeparamref name="T"/> within the timeout and returns it.</summary>
    public T ExpectMsg<T>(TimeSpan? timeout = null) => ExpectMsgCore<T>(timeout, null, "");

    /// <summary>Expects a message equal to <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) => ExpectMsgCore<T>(timeout,
        m => Equals(m, expected) ? null : $"expected {Describe(expected)}, got {Describe(m)}", $" equal to {Describe(expected)}");

    /// <summary>Expects a message of type <typeparamref name="T"/> for which <paramref name="isMessage"/> holds.</summary>
    public T ExpectMsg<T>(Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null) => ExpectMsgCore<T>(timeout,
        m => isMessage(m) ? null : $"got {Describe(m)}, which does not match{(hint is null ? "" : ": " + hint)}", hint is null ? "" : $" ({hint})");

    /// <summary>Expects a message of type <typeparamref name="T"/> and runs <paramref name="assert"/> on it (its exception fails the expectation).</summary>
    public T ExpectMsg<T>(Action<T> assert, TimeSpan? timeout = null) => ExpectMsgCore<T>(timeout, m =>
    {
        try
        {
            assert(m);
            return null;
        }
        catch (Exception e)
        {
            return $"{Describe(m)} failed the assertion: {e.Message}";
        }
    }, "");

    /// <summary>Expects <see cref="Terminated"/> of <paramref name="target"/> (watch it first).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null)
        => ExpectMsg<Terminated>(t => ReferenceEquals(t.ActorRef, target), timeout, $"Terminated of {target.Path}");

    /// <summary>Expects that no message arrives for <paramref name="duration"/> (default: a short wait).</summary>
    public void ExpectNoMsg(TimeSpan? duration = null)
    {
        var wait = duration is { } d ? Dilated(d) : Dilated(Settings.DefaultNoMessageWait);
        if (_end != long.MaxValue && Left(_end) < wait) wait = Left(_end);
        if (_queue.TryTake(out var e, wait))
        {
            Record(e);
            throw new TestKitAssertionException($"expected no message for {Ms(wait)}, got {Describe(e.Message)} from {e.Sender?.Path.ToString() ?? "no sender"}");
        }
    }

    /// <summary>The next message, or null when none arrives within the timeout.</summary>
    public object? ReceiveOne(TimeSpan? timeout = null)
    {
        var wait = RemainingOrDilated(timeout);
        if (!TryTake(wait, out var e)) return null;
        Record(e);
        return e.Message;
    }

    /// <summary>Expects <paramref name="count"/> messages (of any type) within the timeout, all of them in total.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null)
    {
        long end = Deadline(RemainingOrDilated(timeout));
        var got = new List<object>(count);
        while (got.Count < count)
        {
            if (!TryTake(Left(end), out var e))
                throw new TestKitAssertionException($"timeout while waiting for {count} messages: got {got.Count}");
            Record(e);
            got.Add(e.Message);
        }
        return got;
    }

    /// <summary>Skips messages until one of type <typeparamref name="T"/> satisfies <paramref name="isMessage"/>, and returns it.</summary>
    public T FishForMessage<T>(Predicate<T> isMessage, TimeSpan? timeout = null)
    {
        long end = Deadline(RemainingOrDilated(timeout));
        while (true)
        {
            if (!TryTake(Left(end), out var e))
                throw new TestKitAssertionException($"timeout while fishing for a matching {typeof(T).Name}");
            Record(e);
            if (e.Message is T m && isMessage(m)) return m;
        }
    }

    // Timing ------------------------------------------------------------------------------------------------

    /// <summary>Runs <paramref name="action"/>, which must finish within <paramref name="max"/>; expectations inside default to the time left.</summary>
    public void Within(TimeSpan max, Action action) => Within(TimeSpan.Zero, max, action);

    /// <summary>Runs <paramref name="action"/>, which must take between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public void Within(TimeSpan min, TimeSpan max, Action action) => Within(min, max, () =>
    {
        action();
        return 0;
    });

    /// <summary>Runs <paramref name="func"/> within <paramref name="max"/> and returns its result.</summary>
    public T Within<T>(TimeSpan max, Func<T> func) => Within(TimeSpan.Zero, max, func);

    /// <summary>Runs <paramref name="func"/>, which must take between <paramref name="min"/> and <paramref name="max"/>, and returns its result.</summary>
    public T Within<T>(TimeSpan min, TimeSpan max, Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        long start = Stopwatch.GetTimestamp();
        var limit = Dilated(max);
        if (_end != long.MaxValue && Left(_end) < limit) limit = Left(_end); // a nested block cannot outlast its parent
        var outer = _end;
        _end = Deadline(limit);
        T result;
        try
        {
            result = func();
        }
        finally
        {
            _end = outer;
        }
        var took = Stopwatch.GetElapsedTime(start);
        if (took < min) throw new TestKitAssertionException($"the block took {Ms(took)}, less than the minimum {Ms(min)}");
        if (took > limit) throw new TestKitAssertionException($"the block took {Ms(took)}, more than the limit {Ms(limit)}");
        return result;
    }

    /// <summary>Runs <paramref name="assertion"/> until it does not throw, every <paramref name="interval"/> (default 50 ms), for at most <paramref name="duration"/>.</summary>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var max = RemainingOrDilated(duration);
        long end = Deadline(max);
        var pause = interval ?? TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception e)
            {
                var left = Left(end);
                if (left <= TimeSpan.Zero) throw new TestKitAssertionException($"the assertion still failed after {Ms(max)}: {e.Message}", e);
                Thread.Sleep(left < pause ? left : pause);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking every <paramref name="interval"/> (default 50 ms), for at most <paramref name="max"/>.</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        AwaitAssert(() =>
        {
            if (!condition()) throw new TestKitAssertionException(message ?? "the condition is false");
        }, max, interval);
    }

    // Internals ---------------------------------------------------------------------------------------------

    private T ExpectMsgCore<T>(TimeSpan? timeout, Func<T, string?>? check, string hint)
    {
        var wait = RemainingOrDilated(timeout);
        if (!TryTake(wait, out var e))
            throw new TestKitAssertionException($"timeout ({Ms(wait)}) while waiting for a message of type {typeof(T).Name}{hint}");
        Record(e);
        if (e.Message is not T m)
            throw new TestKitAssertionException($"expected a message of type {typeof(T).Name}{hint}, got {Describe(e.Message)} from {e.Sender?.Path.ToString() ?? "no sender"}");
        if (check?.Invoke(m) is { } problem) throw new TestKitAssertionException(problem);
        return m;
    }

    private TimeSpan RemainingOrDilated(TimeSpan? timeout)
    {
        if (timeout is { } t) return t == Timeout.InfiniteTimeSpan ? t : Dilated(t);
        return RemainingOrDefault;
    }

    private bool TryTake(TimeSpan wait, out Envelope envelope)
    {
        if (wait == Timeout.InfiniteTimeSpan)
        {
            envelope = _queue.Take();
            return true;
        }
        return _queue.TryTake(out envelope, wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
    }

    private void Record(Envelope e)
    {
        LastMessage = e.Message;
        LastSender = e.Sender ?? System.DeadLetters;
    }

    private static long Deadline(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static TimeSpan Left(long end)
    {
        if (end == long.MaxValue) return Timeout.InfiniteTimeSpan;
        long left = end - Stopwatch.GetTimestamp();
        return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / Stopwatch.Frequency);
    }

    private static string Ms(TimeSpan t) => t == Timeout.InfiniteTimeSpan ? "forever" : $"{t.TotalMilliseconds:0} ms";

    private static string Describe(object? m) => m is null ? "null" : $"{m} ({m.GetType().Name})";

    /// <summary>The probe's ref: queues messages; turns death-watch notifications into <see cref="Terminated"/>.</summary>
    private sealed class ProbeRef(ActorPath path, BlockingCollection<Envelope> queue) : IInternalActorRef
    {
        public ConcurrentDictionary<IActorRef, byte> Watching { get; } = new(ReferenceEqualityComparer.Instance);

        public ActorPath Path { get; } = path;

        public void Tell(object message, IActorRef? sender)
        {
            ArgumentNullException.ThrowIfNull(message);
            queue.Add(new Envelope(message, sender));
        }

        public void SendSystemMessage(SystemMessage message)
        {
            if (message is DeathWatchNotification d && Watching.TryRemove(d.Actor, out _))
                queue.Add(new Envelope(new Terminated(d.Actor), d.Actor));
        }

        public override string ToString() => $"[{Path}]";
    }
}

/// <summary>A ref for tests: whatever it receives can be checked with ExpectMsg and friends.</summary>
public sealed class TestProbe : TestKitBase
{
    internal TestProbe(ActorSystem system, TestKitSettings settings, string? name) : base(system, settings, name) { }

    public override string ToString() => $"TestProbe {Ref.Path}";
}
