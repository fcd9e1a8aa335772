using MetaRL.Environments;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.NonStationary;
using MetaRL.Environments.Policies;
using MetaRL.Environments.Tasks;

namespace MetaRL.Training.Baselines;

/// <summary>
/// One row of a baselines table: our score, the paper's when it has one, and the variant that ran; under a
/// non-stationary schedule, its tracking regret and recovery (<see cref="TrackingSummary"/>); and its adaptation curve,
/// the mean return of episode k of a trial with its standard error.
/// </summary>
internal sealed record BaselineRow(string Policy, double Mean, double StdErr, double? Paper, string Settings, TrackingSummary? Tracking = null,
    IReadOnlyList<(double Mean, double StdErr)>? Episodes = null);

/// <summary>
/// The result of <c>metarl baselines</c>: a title that says what ran and one row per baseline; under a schedule, the
/// tracking oracle's record too, so that another policy run on the same trials can be measured against it.
/// </summary>
internal sealed record BaselinesReport(string Env, string Title, IReadOnlyList<(string Key, object Value)> Config, IReadOnlyList<BaselineRow> Rows)
{
    public TrackingRecord? Oracle { get; init; }
}

/// <summary>
/// Runs an env family's classical baselines (<see cref="EnvFamily{TObs,TAction,TTask}.Baselines"/>, or random actions
/// for a family that declares none) on the same tasks, trial i on task i of the split's seeded stream. Under a
/// schedule (<see cref="BaselinesSettings.Schedule"/>) every env switches or drifts alike for every baseline (same
/// seeds); a suite with tracking baselines gains them, tuned on the train split under the same schedule, and its oracle
/// becomes the tracking oracle (told of every change), against which each row's tracking regret is measured.
/// </summary>
internal static class BaselinesRun
{
    /// <summary>
    /// Runs every baseline of the env's suite on the same <see cref="BaselinesSettings.Trials"/> tasks.
    /// <paramref name="progressFor"/> gives, per policy and trial count, a callback that counts finished trials.
    /// </summary>
    public static BaselinesReport Run(BaselinesSettings s, Func<string, int, Action<int>>? progressFor = null) =>
        EnvCatalog.Get(s.Env).WithTypes(new FamilySuite(s, progressFor));

    private sealed class FamilySuite(BaselinesSettings s, Func<string, int, Action<int>>? progressFor) : IFamilyCode<BaselinesReport>
    {
        public BaselinesReport Run<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> family)
        {
            var options = s.Options with { Split = s.Split, Schedule = s.Schedule };
            var distribution = family.CreateDistribution(options);
            var declared = family.Baselines;
            var suite = declared ?? new BaselineSuite<TObs, TAction>((_, _) =>
                [Random<TObs, TAction>(family.CreateEnv(options, distribution.Sample(new Random(0))).ActionSpace)]);
            // Tracking baselines, and the tracking oracle they are measured against, run only under a schedule.
            var tracking = s.Schedule is null ? null : suite.Tracking?.Invoke(options, s.Episodes);
            var baselines = Suite(family, options, suite.Create(options, s.Episodes), tracking, s);
            var published = suite.Published is { } paper && s.Split != TaskSplit.Ood && s.Schedule is null
                ? policy => paper(options, s.Episodes, policy)
                : (Func<string, double?>)(_ => null);
            var (rows, oracle) = RunSuite(distribution, (t, seed) => Seeded(family.CreateEnv(options, t), seed), baselines, s.Episodes, s,
                published, trackingOracle: tracking is not null, progressFor);
            var (setup, keys) = suite.Setup(options, s.Episodes);
            return new BaselinesReport(s.Env,
                $"{family.Name}: {setup}{Under(s.Schedule)}; {s.Trials} trials on {Split(s.Split)} tasks, seed {s.Seed}" +
                (declared is null ? " (no classical suite for this family: random actions)" : ""),
                [.. keys, ("trials", s.Trials), ("seed", s.Seed), ("split", Split(s.Split)), .. ScheduleKey(s.Schedule)],
                rows) { Oracle = oracle };
        }
    }

    /// <summary>Uniformly random actions: the baseline of a family that declares none.</summary>
    private static BaselineSpec<TObs, TAction> Random<TObs, TAction>(Environments.Spaces.Space<TAction> space) =>
        new("Random", "uniform over the action space", () => new RandomActions<TObs, TAction>(space));

    private static string Under(ScheduleSpec? schedule) => schedule is null ? "" : $", schedule {schedule.Text}";

    private static (string, object)[] ScheduleKey(ScheduleSpec? schedule) => schedule is null ? [] : [("schedule", schedule.Text)];

    /// <summary>The name of the oracle row under a schedule, where it is told every change.</summary>
    public const string TrackingOracle = "Tracking oracle";

    /// <summary>
    /// The baselines that run: the stationary ones as they are, or, with <paramref name="tracking"/> baselines (under a
    /// schedule), the stationary ones (which do not track), then the tracking ones tuned on the train split under the same
    /// schedule, then the tracking oracle. Without tracking baselines a suite runs as it is, under a schedule too, with no
    /// oracle to measure regret against.
    /// </summary>
    private static IReadOnlyList<BaselineSpec<TObs, TAction>> Suite<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> family, EnvOptions options,
        IReadOnlyList<BaselineSpec<TObs, TAction>> stationary, IReadOnlyList<TunableBaseline<TObs, TAction>>? tracking, BaselinesSettings s)
    {
        if (tracking is null) return stationary;
        var train = options with { Split = TaskSplit.Train };
        var tuningTasks = BaselineEvaluator.Tasks(family.CreateDistribution(train), TrackingBaselines.TuningTrials, s.Seed);
        var tuned = tracking.Select(b =>
        {
            var (best, _) = TrackingBaselines.Tune(b, tuningTasks, (t, seed) => Seeded(family.CreateEnv(train, t), seed), s.Episodes, s.Seed, s.Threads);
            return b.With(best, $"best of {string.Join("/", b.Grid)} on {TrackingBaselines.TuningTrials} train trials");
        });
        var oracle = stationary[^1];
        return [.. stationary.Take(stationary.Count - 1), .. tuned, new(TrackingOracle, "told the task in force at every step", oracle.Create)];
    }

    // The catalog builds envs with a fixed seed; reseeding through Reset gives every trial its own noise stream.
    private static ITaskEnv<TObs, TAction, TTask> Seeded<TObs, TAction, TTask>(ITaskEnv<TObs, TAction, TTask> env, int seed)
    {
        env.Reset(seed);
        return env;
    }

    // Tasks are drawn chunk by chunk from the split's stream and every baseline runs on a chunk before the
    // next is drawn: memory stays bounded on long runs, and trial i still gets task i for every baseline.
    private static (List<BaselineRow> Rows, TrackingRecord? Oracle) RunSuite<TObs, TAction, TTask>(
        ITaskDistribution<TTask> distribution, Func<TTask, int, ITaskEnv<TObs, TAction, TTask>> makeEnv,
        IReadOnlyList<BaselineSpec<TObs, TAction>> suite, int episodes, BaselinesSettings s,
        Func<string, double?> paper, bool trackingOracle, Func<string, int, Action<int>>? progressFor)
    {
        const int chunkSize = 10_000;
        var progress = suite.Select(spec => progressFor?.Invoke(spec.Name, s.Trials)).ToArray();
        var scores = suite.Select(_ => new double[s.Trials]).ToArray();
        var tracking = trackingOracle ? suite.Select(_ => new TrackingRecord(s.Trials)).ToArray() : null;
        var curves = suite.Select(_ => new EpisodeReturnStats(episodes)).ToArray();
        int first = 0;
        foreach (var chunk in BaselineEvaluator.TaskChunks(distribution, s.Trials, s.Seed, chunkSize))
        {
            for (int b = 0; b < suite.Count; b++)
                BaselineEvaluator.Scores(chunk, makeEnv, suite[b].Create, episodes, s.Seed, s.Threads, progress[b], first, tracking?[b], curves[b])
                    .CopyTo(scores[b], first);
            first += chunk.Length;
        }
        var rows = suite.Select((spec, b) =>
        {
            var r = BaselineEvaluator.Summarise(spec.Name, scores[b]);
            // Under a schedule the suite ends with the tracking oracle, the yardstick of every row's regret.
            var summary = tracking is null ? null : TrackingSummary.Of(tracking[b], tracking[^1]);
            return new BaselineRow(spec.Name, r.Mean, r.StdErr, paper(spec.Name), spec.Settings, summary, curves[b].Curve());
        }).ToList();
        return (rows, tracking?[^1]);
    }

    public static string Split(TaskSplit split) => split.ToString().ToLowerInvariant();
}
