using System.Globalization;

namespace MetaRL.Runtime.TestKit;

/// <summary>
/// A test's actor system plus a test actor (<see cref="TestActor"/>) whose messages the Expect* methods check,
/// as Akka.TestKit. Derive a test class from it (or create one per test) and dispose it at the end: the system
/// terminates. Outside actors, <c>actor.Tell(message)</c> sends with the test actor as sender, so replies come back
/// to the test. No test-framework dependency: failed expectations throw <see cref="TestKitAssertionException"/>.
/// </summary>
public class TestKit : TestKitBase, IDisposable
{
    private static int s_systems;
    private readonly IActorRef? _previousImplicitSender;
    private bool _disposed;

    /// <summary>A TestKit with a fresh system.</summary>
    /// <param name="systemName">The system's name (default: a unique "test-N").</param>
    /// <param name="settings">System settings (default: the defaults).</param>
    /// <param name="testKitSettings">Timeouts (default: generous).</param>
    /// <param name="useTestScheduler">Give the system a <see cref="TestScheduler"/> (virtual time), reachable as <see cref="Scheduler"/>.</param>
    public TestKit(string? systemName = null, ActorSystemSettings? settings = null, TestKitSettings? testKitSettings = null, bool useTestScheduler = false)
        : base(CreateSystem(systemName, settings, useTestScheduler), testKitSettings ?? new TestKitSettings(), "testActor")
    {
        _previousImplicitSender = ActorCell.ImplicitSender.Value;
        ActorCell.ImplicitSender.Value = TestActor;
    }

    /// <summary>The system under test.</summary>
    public ActorSystem Sys => System;

    /// <summary>The test's own actor: the implicit sender of Tell from test code, and what Expect* checks.</summary>
    public IActorRef TestActor => Ref;

    /// <summary>The virtual-time scheduler (only when created with <c>useTestScheduler: true</c>).</summary>
    public TestScheduler Scheduler => System.Scheduler as TestScheduler
        ?? throw new InvalidOperationException("this TestKit has the real scheduler; create it with useTestScheduler: true");

    /// <summary>A new probe in the same system.</summary>
    public TestProbe CreateTestProbe(string? name = null) => new(System, Settings, name);

    /// <summary>Terminates the system and waits for it (up to <paramref name="duration"/>, default 10 s dilated).</summary>
    /// <param name="duration">How long to wait.</param>
    /// <param name="verify">Throw when the system has not terminated in time.</param>
    public void Shutdown(TimeSpan? duration = null, bool verify = false)
    {
        var wait = Dilated(duration ?? TimeSpan.FromSeconds(10));
        if (!System.Terminate().Wait(wait) && verify)
            throw new TestKitAssertionException($"actor system {System.Name} did not terminate within {wait.TotalMilliseconds:0} ms");
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing) return;
        _disposed = true;
        if (ReferenceEquals(ActorCell.ImplicitSender.Value, TestActor)) ActorCell.ImplicitSender.Value = _previousImplicitSender;
        Shutdown();
    }

    private static ActorSystem CreateSystem(string? name, ActorSystemSettings? settings, bool useTestScheduler)
    {
        settings ??= new ActorSystemSettings();
        if (useTestScheduler && settings.Scheduler is null) settings = settings with { Scheduler = new TestScheduler() };
        return ActorSystem.Create(name ?? "test-" + Interlocked.Increment(ref s_systems).ToString(CultureInfo.InvariantCulture), settings);
    }
}
