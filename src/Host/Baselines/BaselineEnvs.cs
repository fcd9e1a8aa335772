using MetaRL.Environments.Bandits;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.Policies;
using MetaRL.Environments.Tasks;

namespace MetaRL.Host.Baselines;

/// <summary>One row of a baselines table: our score, the paper's when it has one, and the variant that ran.</summary>
internal sealed record BaselineRow(string Policy, double Mean, double StdErr, double? Paper, string Settings);

/// <summary>The result of <c>metarl baselines</c>: a title that says what ran and one row per baseline.</summary>
internal sealed record BaselinesReport(string Env, string Title, IReadOnlyList<(string Key, object Value)> Config, IReadOnlyList<BaselineRow> Rows);

/// <summary>
/// The env families <c>metarl baselines</c> knows, and how to run each one's suite. A small mapping kept
/// here until the environments project offers a catalog of its own.
/// </summary>
internal static class BaselineEnvs
{
    public const string BernoulliBandit = "bernoulli-bandit";

    public static IReadOnlyList<string> Names { get; } = [BernoulliBandit];

    /// <summary>
    /// Runs every baseline of the env's suite on the same <see cref="BaselinesSettings.Trials"/> tasks.
    /// <paramref name="progressFor"/> gives, per policy, a callback that counts finished trials.
    /// </summary>
    public static BaselinesReport Run(BaselinesSettings s, Func<string, int, Action<int>>? progressFor = null) => s.Env switch
    {
        BernoulliBandit => RunBandit(s, progressFor),
        _ => throw new ArgumentException($"unknown env '{s.Env}'", nameof(s)),
    };

    private static BaselinesReport RunBandit(BaselinesSettings s, Func<string, int, Action<int>>? progressFor)
    {
        var tasks = BaselineEvaluator.Tasks(new UniformBanditDistribution(s.Arms, s.Split), s.Trials, s.Seed);
        var rows = RunSuite(tasks, (task, seed) => new BernoulliBanditEnv(task, seed), BanditBaselines.Create(s.Arms, s.Pulls),
            s.Pulls, s, policy => s.Split == TaskSplit.Ood ? null : Rl2PaperScores.ForBandit(s.Arms, s.Pulls, policy), progressFor);
        return new BaselinesReport(BernoulliBandit,
            $"Bernoulli bandit, k = {s.Arms} arms, n = {s.Pulls} pulls: {s.Trials} trials ({Split(s.Split)} tasks, seed {s.Seed})",
            [("arms", s.Arms), ("pulls", s.Pulls), ("trials", s.Trials), ("seed", s.Seed), ("split", Split(s.Split))],
            rows);
    }

    private static List<BaselineRow> RunSuite<TObs, TAction, TTask>(
        IReadOnlyList<TTask> tasks, Func<TTask, int, Environments.ITaskEnv<TObs, TAction, TTask>> makeEnv,
        IReadOnlyList<BaselineSpec<TObs, TAction>> suite, int episodes, BaselinesSettings s,
        Func<string, double?> paper, Func<string, int, Action<int>>? progressFor)
    {
        var rows = new List<BaselineRow>(suite.Count);
        foreach (var spec in suite)
        {
            var progress = progressFor?.Invoke(spec.Name, tasks.Count);
            var scores = BaselineEvaluator.Scores(tasks, makeEnv, spec.Create, episodes, s.Seed, s.Threads, progress);
            var r = BaselineEvaluator.Summarise(spec.Name, scores);
            rows.Add(new BaselineRow(spec.Name, r.Mean, r.StdErr, paper(spec.Name), spec.Settings));
        }
        return rows;
    }

    public static string Split(TaskSplit split) => split.ToString().ToLowerInvariant();
}
