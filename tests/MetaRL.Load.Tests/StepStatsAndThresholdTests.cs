namespace MetaRL.Load.Tests;

/// <summary>Per-step figures on HdrHistogram and the threshold checks that make a load run fail.</summary>
public sealed class StepStatsAndThresholdTests
{
    private static StepFigures Act()
    {
        var act = new StepStats("act");
        for (int i = 1; i <= 1000; i++) act.RecordOk(TimeSpan.FromMilliseconds(i / 10.0), bytes: 100); // 0.1 … 100 ms
        for (int i = 0; i < 5; i++) act.RecordFailed();
        return act.Figures(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Percentiles_counts_and_rate_come_from_what_was_recorded()
    {
        var f = Act();
        Assert.Equal((1000L, 5L, 1005L), (f.Ok, f.Failed, f.Count));
        Assert.Equal(502.5, f.Rps, 6);
        Assert.Equal(100_000, f.Bytes);
        // HdrHistogram keeps 3 significant digits: within 0.1 % of the exact order statistics.
        Assert.Equal(50.0, f.P50Ms, 0.05);
        Assert.Equal(75.0, f.P75Ms, 0.08);
        Assert.Equal(95.0, f.P95Ms, 0.1);
        Assert.Equal(99.0, f.P99Ms, 0.1);
        Assert.Equal(0.1, f.MinMs, 0.001);
        Assert.Equal(100.0, f.MaxMs, 0.1);
        Assert.Equal(50.05, f.MeanMs, 0.06);

        var empty = new StepStats("none").Figures(TimeSpan.FromSeconds(1));
        Assert.True(double.IsNaN(empty.P99Ms));
        var slow = new StepStats("slow");
        slow.RecordOk(TimeSpan.FromHours(1));
        Assert.Equal(1, slow.Figures(TimeSpan.FromSeconds(1)).Clipped);
    }

    [Theory]
    [InlineData("p99(act)<150ms", true)]
    [InlineData("p99(act)<50ms", false)]
    [InlineData("p50(act) <= 0.06s", true)]
    [InlineData("max(act)>=100000us", true)]
    [InlineData("failed=0", false)]
    [InlineData("failed(act)==5", true)]
    [InlineData("ok>999", true)]
    [InlineData("rps(act)>1000", false)]
    [InlineData("p99(trial)<1s", false)] // no such step ran: a threshold on nothing fails
    public void A_threshold_passes_or_fails_on_the_figures_and_says_what_it_measured(string text, bool passes)
    {
        var threshold = Threshold.Parse(text);
        var (passed, measured) = threshold.Check([Act()]);
        Assert.Equal(passes, passed);
        Assert.NotEmpty(measured);
    }

    [Fact]
    public void An_impossible_threshold_fails_and_a_malformed_one_says_what_is_expected()
    {
        Assert.False(Threshold.Parse("p99(act)<0.001ms").Check([Act()]).Passed);
        Assert.Contains("expected METRIC[(STEP)] OP VALUE", Assert.Throws<FormatException>(() => Threshold.Parse("p99 act 5")).Message);
        Assert.Contains("unknown metric 'p42'", Assert.Throws<FormatException>(() => Threshold.Parse("p42(act)<5ms")).Message);
        Assert.Contains("needs a unit", Assert.Throws<FormatException>(() => Threshold.Parse("p99(act)<5")).Message);
        Assert.Contains("takes no unit", Assert.Throws<FormatException>(() => Threshold.Parse("failed<5ms")).Message);
    }
}
