using System.Globalization;

namespace MetaRL.Runtime.TestKit;

/// <summary>Timeouts of the TestKit. Generous by default, because CI machines are small and loaded.</summary>
public sealed record TestKitSettings
{
    /// <summary>How long ExpectMsg and friends wait when given no timeout (before dilation).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long ExpectNoMsg watches when given no duration (before dilation).</summary>
    public TimeSpan DefaultNoMessageWait { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Multiplies every timeout (ExpectMsg, Within, AwaitAssert), as Akka's test time factor. The default comes from
    /// the environment variable <c>METARL_TEST_TIME_FACTOR</c> (1 when unset).
    /// </summary>
    public double TimeFactor { get; init; } = FromEnvironment();

    /// <summary>A duration scaled by <see cref="TimeFactor"/>.</summary>
    public TimeSpan Dilated(TimeSpan duration) => duration == Timeout.InfiniteTimeSpan ? duration : duration * TimeFactor;

    private static double FromEnvironment()
    {
        var raw = Environment.GetEnvironmentVariable("METARL_TEST_TIME_FACTOR");
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1.0;
    }
}
