using MetaRL.Environments;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.NonStationary;
using MetaRL.Environments.Tasks;
using MetaRL.Environments.Wrappers;

namespace MetaRL.Policies.Evaluation;

/// <summary>
/// Meta-testing with frozen weights (docs/architecture.md §3): runs trials of a recurrent policy on tasks drawn from a
/// distribution, many trials side by side in one batched step, and returns the adaptation curve. Task i comes
/// from the distribution's seeded stream in order, so two policies (or a policy and the baselines) evaluated
/// with the same seed meet the same tasks. Under a non-stationary schedule they also meet the same changes (the
/// schedule's stream is seeded by the trial's env seed), and <c>tracking</c> records what a study needs.
/// </summary>
public static class InContextEvaluator
{
    public static AdaptationCurve Evaluate<TObs, TAction, TTask>(
        IInContextPolicy policy,
        ITaskDistribution<TTask> tasks,
        Func<TTask, ITaskEnv<TObs, TAction, TTask>> createEnv,
        int trials,
        int episodesPerTrial,
        int seed,
        int batch = 256,
        bool greedy = false,
        bool trialProgress = false,
        TrackingRecord? tracking = null)
    {
        var taskRng = TaskSeeds.RngFor(seed, tasks.Split); // the baselines' task stream: same tasks, same order
        var actionRng = new Random(TaskSeeds.Mix(seed, 7));
        var returns = new double[trials][];
        var buffers = new PolicyBuffers(policy, batch);
        var choose = BatchedTrials.Choice(policy.PolicyHead, actionRng, greedy);
        for (int first = 0; first < trials; first += batch)
        {
            int n = Math.Min(batch, trials - first);
            var envs = new ITaskEnv<TObs, TAction, TTask>[n];
            var seeds = new int[n];
            var steps = tracking is null ? null : new List<double>[n];
            for (int i = 0; i < n; i++)
            {
                envs[i] = createEnv(tasks.Sample(taskRng));
                seeds[i] = BaselineEvaluator.EnvSeed(seed, first + i); // the env seed the baselines use for this trial
                returns[first + i] = new double[episodesPerTrial];
                if (steps is not null) steps[i] = [];
            }
            int offset = first;
            BatchedTrials.Run(policy, envs, seeds, episodesPerTrial, trialProgress, buffers, choose, (i, episode, _, _, _, mean, r) =>
            {
                returns[offset + i][episode] += r.Reward;
                steps?[i].Add(double.IsNaN(mean) ? r.Reward : mean);
            });
            if (tracking is not null)
                for (int i = 0; i < n; i++) Record(tracking, first + i, steps![i], envs[i]);
        }
        return AdaptationCurve.From(returns);
    }

    /// <summary>A finished trial's step rewards and switches, in trial order (so the sums do not depend on batching).</summary>
    private static void Record<TObs, TAction, TTask>(TrackingRecord tracking, int trial, List<double> steps, ITaskEnv<TObs, TAction, TTask> env)
    {
        var rewards = steps.ToArray();
        tracking.ExpectedScores[trial] = rewards.Sum();
        var switches = env is NonStationaryEnv<TObs, TAction, TTask> ns ? ns.SwitchTimes.Where(t => t < rewards.Length).ToArray() : [];
        tracking.Recovery.AddTrial(rewards, switches);
    }
}
