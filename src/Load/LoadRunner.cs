using System.Collections.Concurrent;
using System.Diagnostics;

namespace MetaRL.Load;

/// <summary>What a load run measured: each step's figures, how many copies were started and ran at once, and the figures over time.</summary>
public sealed record LoadResult(string Scenario, TimeSpan Duration, IReadOnlyList<StepFigures> Steps, long CopiesStarted, int MostConcurrent,
    long CopiesFailed)
{
    public IReadOnlyList<LoadSample> Samples { get; init; } = [];

    /// <summary>Each of the scenario's phases with the steps' figures in it, in the scenario's order.</summary>
    public IReadOnlyList<PhaseFigures> Phases { get; init; } = [];

    /// <summary>The scenario's warm-up: samples before it are left out of <see cref="LoadDrift"/>.</summary>
    public TimeSpan WarmUp { get; init; }
}

/// <summary>
/// One sample of a run over time: at <paramref name="Seconds"/>, the copies running, the process's resident memory and
/// managed heap, and each step's figures over the interval since the previous sample (its p99 before, during and after
/// a fault is read from these), and the scenario's own gauges (<see cref="Scenario.Gauges"/>).
/// </summary>
public sealed record LoadSample(double Seconds, int Copies, long ResidentBytes, long ManagedHeapBytes, IReadOnlyList<StepFigures> Steps)
{
    public IReadOnlyDictionary<string, double> Gauges { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// Runs a <see cref="Scenario"/> under its load simulations. Every <see cref="Tick"/> it compares the timeline with what
/// runs: the closed model starts copies up to the number that should be running (a copy that finishes starts its
/// work again while the number allows it); the open model starts every copy that is due by now, however many are
/// still running, so that a system that slows down meets the load it was asked to take (no coordinated omission).
/// At the end the copies are told (<see cref="ScenarioContext.Ended"/>) and given <paramref name="grace"/> to finish.
/// </summary>
public static class LoadRunner
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <param name="sampleEvery">How often the figures over time are sampled (default 1 s).</param>
    /// <param name="recorder">Where the steps are recorded; pass one made beforehand to record steps from outside the copies too.</param>
    public static Task<LoadResult> RunAsync(Scenario scenario, TimeSpan? grace = null, CancellationToken cancel = default, TimeSpan? sampleEvery = null,
        StepRecorder? recorder = null)
    {
        var every = sampleEvery ?? TimeSpan.FromSeconds(1);
        if (every <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(sampleEvery), every, "must be longer than zero");
        // The run is scheduled, sampled and wound up on a thread of its own: on the thread pool it would queue behind the
        // copies' own work, and a load that swamps the pool (a million copies) would stretch the schedule it is measured by.
        var result = new TaskCompletionSource<LoadResult>();
        var thread = new Thread(() =>
        {
            try
            {
                result.SetResult(Run(scenario, grace ?? TimeSpan.FromSeconds(10), cancel, every, recorder ?? new StepRecorder()));
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        }) { IsBackground = true, Name = "metarl-load-schedule" };
        thread.Start();
        return result.Task;
    }

    private static LoadResult Run(Scenario scenario, TimeSpan grace, CancellationToken cancel, TimeSpan every, StepRecorder steps)
    {
        var samples = new List<LoadSample>();
        var lastSample = TimeSpan.Zero;
        var timeline = new LoadTimeline(scenario.Load);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var running = new ConcurrentDictionary<long, Task>();
        long started = 0, failed = 0;
        int concurrent = 0, most = 0;
        var clock = Stopwatch.StartNew();

        void Start(bool repeat)
        {
            long copy = started++;
            Interlocked.Increment(ref concurrent);
            InterlockedMax(ref most, Volatile.Read(ref concurrent));
            running[copy] = Task.Run(async () =>
            {
                try
                {
                    do await scenario.Run(new ScenarioContext(copy, ended.Token, steps)).ConfigureAwait(false);
                    while (repeat && !ended.IsCancellationRequested && Volatile.Read(ref concurrent) <= timeline.CopiesAt(clock.Elapsed));
                }
                catch (OperationCanceledException) when (ended.IsCancellationRequested)
                {
                    // cut short by the load's end
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failed); // a copy that throws outside its steps
                }
                finally
                {
                    Interlocked.Decrement(ref concurrent);
                    running.TryRemove(copy, out _);
                }
            });
        }

        Schedule();
        var duration = clock.Elapsed;
        ended.Cancel();
        try
        {
            Task.WaitAll(running.Values.ToArray(), grace);
        }
        catch (AggregateException)
        {
            // a copy's task cannot fault (its work's exceptions are counted inside it); nothing to add
        }
        Sample(clock.Elapsed); // the last interval, with the calls that finished as the copies were told to end
        steps.Phase = null;
        var figures = steps.Steps.Select(s => s.Figures(duration)).ToArray();
        var phases = scenario.Phases.Select(p => new PhaseFigures(p.Name, p.Length,
            steps.Steps.Select(s => s.PhaseFigures(p)).OfType<StepFigures>().ToArray()) { Start = p.Start }).ToArray();
        return new LoadResult(scenario.Name, duration, figures, started, most, Interlocked.Read(ref failed)) { Samples = samples, Phases = phases, WarmUp = scenario.WarmUp };

        void Schedule()
        {
            while (clock.Elapsed < timeline.Duration && !cancel.IsCancellationRequested)
            {
                var now = clock.Elapsed;
                steps.Phase = scenario.Phases.FirstOrDefault(p => p.Start <= now && now < p.End)?.Name;
                if (timeline.IsOpen)
                    for (long due = timeline.InjectedBy(now); started < due;) Start(repeat: false);
                else
                    for (int target = timeline.CopiesAt(now); Volatile.Read(ref concurrent) < target;) Start(repeat: true);
                if (now - lastSample >= every) Sample(now);
                Thread.Sleep(Tick);
            }
            // The last tick falls a little short of the end: the copies due by then were part of the load asked for.
            if (timeline.IsOpen && !cancel.IsCancellationRequested)
                for (long due = timeline.InjectedBy(timeline.Duration); started < due;) Start(repeat: false);
        }

        void Sample(TimeSpan now)
        {
            var interval = steps.Steps.Select(s => s.TakeInterval(now - lastSample)).ToArray();
            var gauges = scenario.Gauges?.Invoke() ?? new Dictionary<string, double>();
            samples.Add(new LoadSample(now.TotalSeconds, Volatile.Read(ref concurrent), Environment.WorkingSet, GC.GetTotalMemory(false), interval) { Gauges = gauges });
            lastSample = now;
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (int seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
