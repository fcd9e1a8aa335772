using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.NonStationary;
using MetaRL.Environments.Policies;
using MetaRL.Environments.Tabular;
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
/// Which <see cref="EnvCatalog"/> families have a classical-baseline suite, and how to run it: the Bernoulli
/// bandits (RL²'s k-armed one and Wang et al.'s two-armed ones) get <see cref="BanditBaselines"/>, the random
/// tabular MDPs get <see cref="MdpBaselines"/>. Under a schedule (<see cref="BaselinesSettings.Schedule"/>) every env
/// switches or drifts alike for every baseline (same seeds), the suites gain the tracking baselines of
/// <see cref="TrackingBaselines"/>, tuned on the train split under the same schedule, and the oracle becomes the
/// tracking oracle (told of every change), against which each row's tracking regret is measured.
/// </summary>
internal static class BaselineEnvs
{
    public const string BernoulliBandit = "bernoulli-bandit";
    public const string TabularMdp = "tabular-mdp";

    /// <summary>The catalog names that have baselines, in catalog order.</summary>
    public static IReadOnlyList<string> Names { get; } = EnvCatalog.Names.Where(n => IsBernoulli(n) || n == TabularMdp).ToArray();

    public static bool IsBernoulli(string env) => env == BernoulliBandit || env.StartsWith("wang-bandit-", StringComparison.Ordinal);

    /// <summary>The option that sets a trial's length for <paramref name="env"/>: pulls for bandits, episodes for MDPs.</summary>
    public static string TrialLengthOption(string env) => IsBernoulli(env) ? "pulls" : "episodes";

    /// <summary>
    /// Runs every baseline of the env's suite on the same <see cref="BaselinesSettings.Trials"/> tasks.
    /// <paramref name="progressFor"/> gives, per policy and trial count, a callback that counts finished trials.
    /// </summary>
    public static BaselinesReport Run(BaselinesSettings s, Func<string, int, Action<int>>? progressFor = null)
    {
        var family = EnvCatalog.Get(s.Env);
        if (IsBernoulli(s.Env))
        {
            var bandits = (EnvFamily<int, int, BanditTask>)family;
            var options = new EnvOptions(Arms: s.Env == BernoulliBandit ? s.Arms : null, Split: s.Split, Schedule: s.Schedule);
            var tasks = bandits.CreateDistribution(options);
            int arms = s.Env == BernoulliBandit ? s.Arms : tasks.Sample(new Random(0)).Arms;
            var suite = Suite(bandits, options, BanditBaselines.Create(arms, s.Pulls), TrackingBaselines.ForBandits(arms), s.Pulls, s);
            var (rows, oracle) = RunSuite(tasks, (t, seed) => Seeded(bandits.CreateEnv(options, t), seed), suite, s.Pulls, s,
                policy => s.Env == BernoulliBandit && s.Split != TaskSplit.Ood && s.Schedule is null ? Rl2PaperScores.ForBandit(arms, s.Pulls, policy) : null, progressFor);
            return new BaselinesReport(s.Env,
                $"{family.Name}: k = {arms} arms, n = {s.Pulls} pulls a trial{Under(s.Schedule)}; {s.Trials} trials on {Split(s.Split)} tasks, seed {s.Seed}",
                [("arms", arms), ("pulls", s.Pulls), ("trials", s.Trials), ("seed", s.Seed), ("split", Split(s.Split)), .. ScheduleKey(s.Schedule)],
                rows) { Oracle = oracle };
        }
        if (s.Env == TabularMdp)
        {
            var mdps = (EnvFamily<int, int, TabularMdpTask>)family;
            var options = new EnvOptions(States: s.States, Actions: s.Actions, Horizon: s.Horizon, Split: s.Split, Schedule: s.Schedule);
            var tasks = mdps.CreateDistribution(options);
            var suite = Suite(mdps, options, MdpBaselines.Create(s.States, s.Actions, s.Horizon), TrackingBaselines.ForTabularMdps(s.States, s.Actions, s.Horizon), s.Episodes, s);
            var (rows, oracle) = RunSuite(tasks, (t, seed) => Seeded(mdps.CreateEnv(options, t), seed), suite, s.Episodes, s,
                policy => s.Split != TaskSplit.Ood && s.Schedule is null ? Rl2PaperScores.ForTabularMdp(s.States, s.Actions, s.Horizon, s.Episodes, policy) : null, progressFor);
            return new BaselinesReport(s.Env,
                $"{family.Name}: |S| = {s.States}, |A| = {s.Actions}, {s.Horizon}-step episodes, n = {s.Episodes} episodes a trial{Under(s.Schedule)}; {s.Trials} trials on {Split(s.Split)} tasks, seed {s.Seed}",
                [("states", s.States), ("actions", s.Actions), ("horizon", s.Horizon), ("episodes", s.Episodes), ("trials", s.Trials), ("seed", s.Seed), ("split", Split(s.Split)), .. ScheduleKey(s.Schedule)],
                rows) { Oracle = oracle };
        }
        return family.WithTypes(new FamilySuite(s, progressFor));
    }

    /// <summary>
    /// A family without a suite here (Dark Room, a continuous one, a user's own): the baselines it declares
    /// (<see cref="EnvFamily{TObs,TAction,TTask}.OwnBaselines"/>), or else random actions, the floor every learner must
    /// clear, on the split's tasks with the family's default options. Its trial length is
    /// <see cref="BaselinesSettings.Episodes"/>; it takes no schedule.
    /// </summary>
    private sealed class FamilySuite(BaselinesSettings s, Func<string, int, Action<int>>? progressFor) : IFamilyCode<BaselinesReport>
    {
        public BaselinesReport Run<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> family)
        {
            if (s.Schedule is not null) throw new ArgumentException($"env '{s.Env}' has no tracking baselines to run under a schedule", nameof(s));
            var options = new EnvOptions(Split: s.Split);
            var distribution = family.CreateDistribution(options);
            var space = family.CreateEnv(options, distribution.Sample(new Random(0))).ActionSpace;
            var own = family.OwnBaselines(options);
            var suite = own ?? [Random<TObs, TAction>(space)];
            var (rows, _) = RunSuite(distribution, (t, seed) => Seeded(family.CreateEnv(options, t), seed), suite, s.Episodes, s, _ => null, progressFor);
            return new BaselinesReport(s.Env,
                $"{family.Name}: n = {s.Episodes} episodes a trial; {s.Trials} trials on {Split(s.Split)} tasks, seed {s.Seed}" +
                (own is null ? " (no classical suite for this family: random actions)" : ""),
                [("episodes", s.Episodes), ("trials", s.Trials), ("seed", s.Seed), ("split", Split(s.Split))], rows);
        }
    }

    /// <summary>Uniformly random actions: the baseline of a family that declares none.</summary>
    public static BaselineSpec<TObs, TAction> Random<TObs, TAction>(Environments.Spaces.Space<TAction> space) =>
        new("Random", "uniform over the action space", () => new RandomActions<TObs, TAction>(space));

    private static string Under(ScheduleSpec? schedule) => schedule is null ? "" : $", schedule {schedule.Text}";

    private static (string, object)[] ScheduleKey(ScheduleSpec? schedule) => schedule is null ? [] : [("schedule", schedule.Text)];

    /// <summary>The name of the oracle row under a schedule, where it is told every change.</summary>
    public const string TrackingOracle = "Tracking oracle";

    /// <summary>
    /// The suite that runs: the stationary one as it is, or, under a schedule, the stationary baselines (which do not
    /// track), then the tracking ones tuned on the train split under the same schedule, then the tracking oracle.
    /// </summary>
    private static IReadOnlyList<BaselineSpec<int, int>> Suite<TTask>(EnvFamily<int, int, TTask> family, EnvOptions options,
        IReadOnlyList<BaselineSpec<int, int>> stationary, IReadOnlyList<TunableBaseline<int, int>> tracking, int episodes, BaselinesSettings s)
    {
        if (s.Schedule is null) return stationary;
        var train = options with { Split = TaskSplit.Train };
        var tuningTasks = BaselineEvaluator.Tasks(family.CreateDistribution(train), TrackingBaselines.TuningTrials, s.Seed);
        var tuned = tracking.Select(b =>
        {
            var (best, _) = TrackingBaselines.Tune(b, tuningTasks, (t, seed) => Seeded(family.CreateEnv(train, t), seed), episodes, s.Seed, s.Threads);
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
        Func<string, double?> paper, Func<string, int, Action<int>>? progressFor)
    {
        const int chunkSize = 10_000;
        var progress = suite.Select(spec => progressFor?.Invoke(spec.Name, s.Trials)).ToArray();
        var scores = suite.Select(_ => new double[s.Trials]).ToArray();
        var tracking = s.Schedule is null ? null : suite.Select(_ => new TrackingRecord(s.Trials)).ToArray();
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
