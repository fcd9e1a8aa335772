using static MetaRL.Load.LoadSimulation;

namespace MetaRL.Load.Tests;

/// <summary>NBomber's load simulations laid out in time: copies for the closed model, copies started so far for the open one.</summary>
public sealed class LoadTimelineTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Closed_model_ramps_from_the_previous_level_then_holds()
    {
        // 0 → 100 copies over 10 s, hold 100 for 5 s, then ramp down to 20 over 4 s.
        var t = new LoadTimeline([new RampingConstant(100, S(10)), new KeepConstant(100, S(5)), new RampingConstant(20, S(4))]);
        Assert.False(t.IsOpen);
        Assert.Equal(S(19), t.Duration);
        Assert.Equal(0, t.CopiesAt(S(0)));
        Assert.Equal(50, t.CopiesAt(S(5)));
        Assert.Equal(99, t.CopiesAt(S(9.9)));
        Assert.Equal(100, t.CopiesAt(S(12)));
        Assert.Equal(60, t.CopiesAt(S(17)));
        Assert.Equal(0, t.CopiesAt(S(19))); // over
        Assert.Throws<InvalidOperationException>(() => t.InjectedBy(S(1)));
    }

    [Fact]
    public void Open_model_injects_the_area_under_its_rate_whether_or_not_copies_finish()
    {
        // 10 a second for 3 s (30), then the rate ramps to 30 a second over 2 s (area 40), then 0 for 1 s.
        var t = new LoadTimeline([new Inject(5, S(0.5), S(3)), new RampingInject(30, S(1), S(2)), new Inject(0, S(1), S(1))]);
        Assert.True(t.IsOpen);
        Assert.Equal(0, t.InjectedBy(S(0)));
        Assert.Equal(15, t.InjectedBy(S(1.5)));
        Assert.Equal(30, t.InjectedBy(S(3)));
        Assert.Equal(30 + 15, t.InjectedBy(S(4))); // one second into the ramp: rate 10 → 20, area 15
        Assert.Equal(70, t.InjectedBy(S(5)));
        Assert.Equal(70, t.InjectedBy(S(5.9)));
        Assert.Equal(70, t.InjectedBy(S(60)));
        Assert.Throws<InvalidOperationException>(() => t.CopiesAt(S(1)));
    }

    [Fact]
    public void A_first_ramp_starts_from_zero_and_open_and_closed_do_not_mix()
    {
        var t = new LoadTimeline([new RampingInject(10, S(1), S(4))]);
        Assert.Equal(20, t.InjectedBy(S(4))); // 0 → 10 a second over 4 s
        Assert.Throws<ArgumentException>(() => new LoadTimeline([new Inject(1, S(1), S(1)), new KeepConstant(1, S(1))]));
        Assert.Throws<ArgumentException>(() => new LoadTimeline([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeepConstant(-1, S(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Inject(1, TimeSpan.Zero, S(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeepConstant(1, TimeSpan.Zero));
    }
}
