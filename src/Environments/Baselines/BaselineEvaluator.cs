using MetaRL.Environments.NonStationary;
using MetaRL.Environments.Policies;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Baselines;

/// <summary>One baseline's score over many trials: the mean total reward of a trial and its standard error.</summary>
public sealed record BaselineResult(string Policy, double Mean, double StdErr, int Trials);

/// <summary>
/// What a non-stationary study keeps of each trial beyond its score: the sum of its step rewards (expected where the
/// env knows them, see <see cref="TrialResult"/>), by trial, for the tracking regret; and how it recovered from switches.
/// </summary>
public sealed class TrackingRecord(int trials)
{
    /// <summary>The sum of each trial's (expected) step rewards, by trial index.</summary>
    public double[] ExpectedScores { get; } = new double[trials];

    public RecoveryStats Recovery { get; } = new();
}

/// <summary>
/// Runs a policy on many trials, in parallel, so that the result depends only on the seed and never on
/// thread timing: trial i always gets task i, an env seeded from (seed, i) and a policy stream seeded from
/// (seed, i), whichever thread runs it, and the scores are summed in trial order afterwards. Every baseline
/// evaluated with the same tasks and seed also sees the same env noise (common random numbers), which makes
/// the differences between baselines sharper than their standard errors suggest.
/// </summary>
public static class BaselineEvaluator
{
    /// <summary>The first <paramref name="count"/> tasks of <paramref name="distribution"/>'s seeded stream (<see cref="TaskSeeds"/>).</summary>
    public static TTask[] Tasks<TTask>(ITaskDistribution<TTask> distribution, int count, int seed)
    {
        var rng = TaskSeeds.RngFor(seed, distribution.Split);
        var tasks = new TTask[count];
        for (int i = 0; i < count; i++) tasks[i] = distribution.Sample(rng);
        return tasks;
    }

    /// <summary>
    /// The same tasks as <see cref="Tasks{TTask}"/>, drawn from the same stream but handed out in chunks of at most
    /// <paramref name="chunkSize"/>, so that a long run holds only one chunk of tasks in memory.
    /// </summary>
    public static IEnumerable<TTask[]> TaskChunks<TTask>(ITaskDistribution<TTask> distribution, int count, int seed, int chunkSize)
    {
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "must be >= 1");
        var rng = TaskSeeds.RngFor(seed, distribution.Split);
        for (int start = 0; start < count; start += chunkSize)
        {
            var chunk = new TTask[Math.Min(chunkSize, count - start)];
            for (int i = 0; i < chunk.Length; i++) chunk[i] = distribution.Sample(rng);
            yield return chunk;
        }
    }

    /// <summary>The env seed of trial <paramref name="trial"/>.</summary>
    public static int EnvSeed(int seed, int trial) => TaskSeeds.Mix(seed, trial, 0x5EED);

    /// <summary>The seed of the policy's random stream in trial <paramref name="trial"/>.</summary>
    public static int PolicySeed(int seed, int trial) => TaskSeeds.Mix(seed, trial, 0xB0B);

    /// <summary>
    /// The score (total reward) of each trial. <paramref name="makeEnv"/> builds an env for a task and an env seed;
    /// <paramref name="makePolicy"/> builds one policy per worker thread (policies are stateful).
    /// <paramref name="progress"/>, when given, is called with the number of trials just finished (from any thread).
    /// <paramref name="firstTrial"/> is the trial number of <c>tasks[0]</c> when the tasks are one chunk of a longer run.
    /// <paramref name="tracking"/>, when given, records step rewards and switches (at <c>tracking.ExpectedScores[firstTrial + i]</c>).
    /// <paramref name="episodeReturns"/>, when given, adds every trial's episode returns (the adaptation curve).
    /// </summary>
    public static double[] Scores<TObs, TAction, TTask>(
        IReadOnlyList<TTask> tasks,
        Func<TTask, int, ITaskEnv<TObs, TAction, TTask>> makeEnv,
        Func<IPolicy<TObs, TAction>> makePolicy,
        int episodes,
        int seed,
        int maxParallelism = 0,
        Action<int>? progress = null,
        int firstTrial = 0,
        TrackingRecord? tracking = null,
        EpisodeReturnStats? episodeReturns = null)
    {
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "a trial needs at least one episode");
        var scores = new double[tasks.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
        // Chunks of trials per work item, so that progress reports and scheduling stay cheap.
        const int chunk = 64;
        int chunks = (tasks.Count + chunk - 1) / chunk;
        var recovery = tracking is null ? null : new RecoveryStats[chunks];
        var curves = episodeReturns is null ? null : new EpisodeReturnStats[chunks];
        Parallel.For(0, chunks, options, makePolicy, (c, _, policy) =>
        {
            int end = Math.Min(tasks.Count, (c + 1) * chunk);
            var stats = recovery is null ? null : recovery[c] = new RecoveryStats();
            var curve = curves is null ? null : curves[c] = new EpisodeReturnStats(episodes);
            for (int i = c * chunk; i < end; i++)
            {
                int trial = firstTrial + i;
                var env = makeEnv(tasks[i], EnvSeed(seed, trial));
                var result = TrialRunner.Run(env, policy, tasks[i], episodes, new Random(PolicySeed(seed, trial)), recordSteps: stats is not null);
                scores[i] = result.Total;
                curve?.Add(result.EpisodeReturns);
                if (stats is null) continue;
                tracking!.ExpectedScores[trial] = result.StepRewards!.Sum();
                stats.AddTrial(result.StepRewards, result.SwitchTimes!);
            }
            progress?.Invoke(end - c * chunk);
            return policy;
        }, _ => { });
        if (recovery is not null)
            foreach (var stats in recovery) tracking!.Recovery.Merge(stats); // in chunk order: the same sums whatever the threads did
        if (curves is not null)
            foreach (var part in curves) episodeReturns!.Merge(part);
        return scores;
    }

    /// <summary>Mean and standard error (sample standard deviation / √n) of <paramref name="scores"/>, summed in order.</summary>
    public static BaselineResult Summarise(string policy, IReadOnlyList<double> scores)
    {
        int n = scores.Count;
        if (n == 0) return new BaselineResult(policy, double.NaN, double.NaN, 0);
        double mean = 0;
        for (int i = 0; i < n; i++) mean += scores[i];
        mean /= n;
        double ss = 0;
        for (int i = 0; i < n; i++) ss += (scores[i] - mean) * (scores[i] - mean);
        double stderr = n > 1 ? Math.Sqrt(ss / (n - 1) / n) : 0;
        return new BaselineResult(policy, mean, stderr, n);
    }
}
