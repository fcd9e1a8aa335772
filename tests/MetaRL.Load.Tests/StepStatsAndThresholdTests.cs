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

    private static LoadResult Of(params StepFigures[] steps) => new("t", TimeSpan.FromSeconds(2), steps, 1, 1, 0);

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
        var (passed, measured) = threshold.Check(Of(Act()));
        Assert.Equal(passes, passed);
        Assert.NotEmpty(measured);
    }

    [Fact]
    public void An_impossible_threshold_fails_and_a_malformed_one_says_what_is_expected()
    {
        Assert.False(Threshold.Parse("p99(act)<0.001ms").Check(Of(Act())).Passed);
        Assert.Contains("expected METRIC[(STEP)] OP VALUE", Assert.Throws<FormatException>(() => Threshold.Parse("p99 act 5")).Message);
        Assert.Contains("unknown metric 'p42'", Assert.Throws<FormatException>(() => Threshold.Parse("p42(act)<5ms")).Message);
        Assert.Contains("needs a unit", Assert.Throws<FormatException>(() => Threshold.Parse("p99(act)<5")).Message);
        Assert.Contains("takes no unit", Assert.Throws<FormatException>(() => Threshold.Parse("failed<5ms")).Message);
    }

    [Fact]
    public void A_call_also_counts_in_the_phase_the_run_was_in_when_it_ended()
    {
        string? phase = "before";
        var act = new StepStats("act", () => phase);
        for (int i = 0; i < 100; i++) act.RecordOk(TimeSpan.FromMilliseconds(1));
        phase = "during";
        for (int i = 0; i < 50; i++) act.RecordOk(TimeSpan.FromMilliseconds(100));
        act.RecordFailed();
        phase = null;
        act.RecordOk(TimeSpan.FromMilliseconds(5));
        var before = act.PhaseFigures(new LoadPhase("before", TimeSpan.Zero, TimeSpan.FromSeconds(10)))!;
        var during = act.PhaseFigures(new LoadPhase("during", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15)))!;
        Assert.Equal((100L, 0L, 10.0), (before.Ok, before.Failed, before.Rps));
        Assert.Equal(1.0, before.P99Ms, 0.01);
        Assert.Equal((50L, 1L, 51 / 5.0), (during.Ok, during.Failed, during.Rps));
        Assert.Equal(100.0, during.P99Ms, 0.1);
        Assert.Null(act.PhaseFigures(new LoadPhase("after", TimeSpan.Zero, TimeSpan.FromSeconds(1))));
        Assert.Equal(152, act.Figures(TimeSpan.FromSeconds(20)).Count); // the whole run's figures hold every call
    }

    private static LoadResult Soak(Func<int, double> residentMb, Func<int, double> tensors)
    {
        var samples = Enumerable.Range(1, 41).Select(i => new LoadSample(i * 10, 100, (long)(residentMb(i) * 1048576), 50L * 1048576,
            [new StepFigures("act", 1000, 0, 100, 1, 1, 1, 1, 1, 1, 1, 0)]) { Gauges = new Dictionary<string, double> { ["live_tensors"] = tensors(i) } }).ToArray();
        return new LoadResult("soak", TimeSpan.FromSeconds(410), [new StepFigures("act", 41000, 0, 100, 1, 1, 1, 1, 1, 1, 1, 0)], 100, 100, 0)
        {
            Samples = samples,
            WarmUp = TimeSpan.FromSeconds(15), // samples 2..40 count (the last is the wind-down)
        };
    }

    [Fact]
    public void Drift_compares_the_last_quarter_after_the_warm_up_with_the_first()
    {
        // Resident memory grows by 1 MB a sample: the first quarter (samples 2-10) has its floor at 102, the last (32-40) at 132.
        var growing = Soak(i => 100 + i, _ => 12);
        var drifts = LoadDrift.Of(growing).ToDictionary(d => d.Series);
        Assert.Equal(["resident", "heap", "live_tensors", "act"], drifts.Keys);
        Assert.Equal((102.0, 132.0, "floor"), (drifts["resident"].First, drifts["resident"].Last, drifts["resident"].Measure));
        Assert.Equal(100 * 30 / 102.0, drifts["resident"].Percent, 9);
        Assert.Equal("mean", drifts["act"].Measure);
        Assert.Equal(0, drifts["live_tensors"].Percent);
        Assert.Equal(0, drifts["act"].Percent);

        var (line, passed) = LoadReport.Verdict([Threshold.Parse("drift(resident)<5%"), Threshold.Parse("drift(live_tensors)<5%")], growing);
        Assert.False(passed);
        Assert.Equal("thresholds: 1 passed (drift(live_tensors)<5%: drift(live_tensors) = 0.0 %); 1 FAILED (drift(resident)<5%: drift(resident) = +29.4 %)", line);
        // A warm-up that is over before the quarters begin: flat memory passes, a leak of tensors fails.
        Assert.True(Threshold.Parse("drift(resident)<5%").Check(Soak(i => i < 2 ? 500 : 300, _ => 12)).Passed);
        // A collector's sawtooth (300 MB after a collection, up to 900 before the next) is flat by its floor.
        Assert.True(Threshold.Parse("drift(resident)<5%").Check(Soak(i => 300 + 600 * (i % 4) / 3.0 + (i > 30 ? 200 * (i % 2) : 0), _ => 12)).Passed);
        Assert.False(Threshold.Parse("drift(live_tensors)<5%").Check(Soak(_ => 300, i => 12 + i)).Passed);
        Assert.StartsWith("no drift of 'gpu'", Threshold.Parse("drift(gpu)<5%").Check(growing).Measured);
        Assert.Contains("in percent of a series", Assert.Throws<FormatException>(() => Threshold.Parse("drift(resident)<5ms")).Message);
        Assert.Contains("only a drift is in percent", Assert.Throws<FormatException>(() => Threshold.Parse("p99(act)<5%")).Message);
        Assert.Empty(LoadDrift.Of(Of(Act()))); // too few samples for a drift
    }
}
