using static MetaRL.Load.LoadSimulation;

namespace MetaRL.Load.Tests;

/// <summary>The runner keeps the closed model's copies and the open model's injections, and records steps and failures.</summary>
public sealed class LoadRunnerTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public async Task Closed_model_keeps_its_copies_running_and_reuses_them()
    {
        var scenario = new Scenario("closed", async ctx => await ctx.Step("work", async () =>
        {
            await Task.Delay(20);
            return 10;
        }), [new KeepConstant(4, Ms(1500))]);
        var r = await LoadRunner.RunAsync(scenario);
        Assert.Equal(4, r.MostConcurrent);
        Assert.Equal(4, r.CopiesStarted); // a copy that finishes runs again: no new copies in a steady closed load
        var work = Assert.Single(r.Steps);
        Assert.Equal(0, work.Failed);
        Assert.True(work.Ok >= 8, $"only {work.Ok} runs of a 20 ms step by 4 copies in 1.5 s");
        Assert.Equal(work.Ok * 10, work.Bytes);
        Assert.True(work.P50Ms >= 19, $"p50 {work.P50Ms} ms of a 20 ms delay");
    }

    [Fact]
    public async Task Open_model_injects_on_schedule_even_while_earlier_copies_still_run()
    {
        // 100 copies a second for 0.5 s, each busy for 0.4 s: a closed loop would wait; the open model must not.
        var scenario = new Scenario("open", async ctx => await ctx.Step("slow", async () =>
        {
            await Task.Delay(400);
            return 0;
        }), [new Inject(10, Ms(100), Ms(500))]);
        var r = await LoadRunner.RunAsync(scenario);
        Assert.Equal(50, r.CopiesStarted);
        Assert.True(r.MostConcurrent >= 20, $"at most {r.MostConcurrent} copies at once: injection waited for completions");
        Assert.Equal(50, r.Steps.Single().Ok);
    }

    [Fact]
    public async Task Failed_steps_are_counted_and_the_verdict_names_the_thresholds_that_failed()
    {
        var scenario = new Scenario("faulty", async ctx =>
        {
            await ctx.Step("act", () => ctx.Copy % 2 == 1 ? throw new InvalidOperationException("env fault") : Task.FromResult(1L));
            if (ctx.Copy == 3) throw new InvalidOperationException("outside any step");
        }, [new Inject(10, Ms(100), Ms(400))]);
        var r = await LoadRunner.RunAsync(scenario);
        var act = r.Steps.Single();
        Assert.Equal((r.CopiesStarted, r.CopiesStarted / 2), (act.Count, act.Failed));
        Assert.Equal(1, r.CopiesFailed);

        var (line, all) = LoadReport.Verdict([Threshold.Parse("ok(act)>0"), Threshold.Parse("failed=0")], r);
        Assert.False(all);
        Assert.StartsWith("thresholds: 1 passed (ok(act)>0: ok(act) = ", line);
        Assert.Contains($"1 FAILED (failed=0: failed = {act.Failed})", line);
        Assert.Contains("| act |", LoadReport.Markdown(r));
        var csv = LoadReport.Csv([r]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(LoadReport.CsvHeader, csv[0]);
        Assert.StartsWith($"faulty,act,{act.Count},{act.Ok},{act.Failed},", csv[1]);
    }
    [Fact]
    public async Task Samples_over_time_add_up_to_the_whole_run()
    {
        var scenario = new Scenario("sampled", async ctx => await ctx.Step("work", async () =>
        {
            await Task.Delay(5);
            return 1;
        }), [new KeepConstant(3, Ms(1200))]);
        var r = await LoadRunner.RunAsync(scenario, sampleEvery: Ms(200));
        // At least one sample inside the run and the last one after it (a console run takes one every 0.2 s; under the test
        // runner the first second's ticks can come late, so the count is not asserted beyond that).
        Assert.True(r.Samples.Count >= 2, $"{r.Samples.Count} samples: {string.Join(" ", r.Samples.Select(s => s.Seconds.ToString("0.000")))}");
        Assert.True(r.Samples.Zip(r.Samples.Skip(1)).All(p => p.Second.Seconds > p.First.Seconds));
        var total = r.Steps.Single();
        // Every call lands in exactly one interval (the last sample takes what the end left).
        Assert.Equal(total.Count, r.Samples.Sum(s => s.Steps.Where(x => x.Step == "work").Sum(x => x.Count)));
        Assert.All(r.Samples, s => Assert.True(s.ResidentBytes > 0 && s.ManagedHeapBytes > 0));
        Assert.All(r.Samples.Skip(1).SkipLast(1), s => Assert.InRange(s.Copies, 1, 3));
        var rows = LoadReport.TimelineCsv(r).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(LoadReport.TimelineHeader, rows[0]);
        Assert.Equal(r.Samples.Sum(s => s.Steps.Count), rows.Length - 1);
    }

    [Fact]
    public async Task Phases_get_their_own_figures_and_gauges_are_sampled()
    {
        int gaugeReads = 0;
        var scenario = new Scenario("phased", async ctx =>
        {
            // A fault that only its phase sees: the step is slow and fails now and then during "fault".
            bool fault = ctx.Phase == "fault";
            await ctx.Step("act", async () =>
            {
                await Task.Delay(fault ? 20 : 1);
                return fault && ctx.Copy % 5 == 0 ? throw new InvalidOperationException("fault") : 1L;
            });
        }, [new KeepConstant(4, Ms(900))])
        {
            Phases = [new LoadPhase("before", TimeSpan.Zero, Ms(300)), new LoadPhase("fault", Ms(300), Ms(600)), new LoadPhase("after", Ms(600), Ms(900))],
            Gauges = () => new Dictionary<string, double> { ["reads"] = Interlocked.Increment(ref gaugeReads) },
        };
        var r = await LoadRunner.RunAsync(scenario, sampleEvery: Ms(100));
        Assert.Equal(["before", "fault", "after"], r.Phases.Select(p => p.Phase));
        var act = r.Phases.ToDictionary(p => p.Phase, p => Assert.Single(p.Steps));
        // A call counts in the phase it ended in: those of the fault that end just after it are "after"'s.
        Assert.True(act["before"].Failed == 0 && act["fault"].Failed > act["after"].Failed, $"failed: {act["before"].Failed}/{act["fault"].Failed}/{act["after"].Failed}");
        Assert.True(act["fault"].P50Ms > 10 && act["before"].P50Ms < 10 && act["after"].P50Ms < 10,
            $"p50 before/during/after: {act["before"].P50Ms}/{act["fault"].P50Ms}/{act["after"].P50Ms} ms");
        Assert.True(act["fault"].Count < act["before"].Count, "the slow phase made fewer calls");
        Assert.True(r.Steps.Single().Count >= act.Values.Sum(a => a.Count)); // calls in the grace period count in the run only
        Assert.Equal(Enumerable.Range(1, r.Samples.Count).Select(i => (double)i), r.Samples.Select(s => s.Gauges["reads"]));
        Assert.Contains("| fault | act |", LoadReport.Markdown(r));
        Assert.StartsWith(LoadReport.PhasesHeader + "\nbefore,0.3,act,", LoadReport.PhasesCsv(r).ReplaceLineEndings("\n"));
        Assert.EndsWith(",reads", LoadReport.TimelineCsv(r).Split('\n')[0].TrimEnd('\r'));
    }
}
