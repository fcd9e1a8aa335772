using MetaRL.Environments.NonStationary;
using MetaRL.Environments.Policies;

namespace MetaRL.Environments;

/// <summary>
/// The returns of one trial: one entry per episode, in order; with <see cref="TrialRunner.Run{TObs,TAction,TTask}"/>'s
/// <c>recordSteps</c>, also the reward of every step (its expectation where the env knows it, <see cref="IMeanReward{TAction}"/>,
/// which keeps the reward's own noise out of recovery curves) and the steps at which a non-stationary task switched.
/// </summary>
public sealed record TrialResult(double[] EpisodeReturns, double[]? StepRewards = null, long[]? SwitchTimes = null)
{
    /// <summary>The trial's score: total reward over all its episodes.</summary>
    public double Total => EpisodeReturns.Sum();
}

/// <summary>Runs trials (N episodes of one task) of a policy on an env.</summary>
public static class TrialRunner
{
    /// <summary>
    /// Sets <paramref name="task"/> on the env (and on the policy when it is task-aware), starts the
    /// policy's trial, then runs <paramref name="episodes"/> episodes to their end. A
    /// <see cref="ITaskTrackingPolicy{TTask}"/> is told the task again whenever it changes under it.
    /// </summary>
    public static TrialResult Run<TObs, TAction, TTask>(
        ITaskEnv<TObs, TAction, TTask> env, IPolicy<TObs, TAction> policy, TTask task, int episodes, Random rng,
        int maxStepsPerEpisode = 100_000, bool recordSteps = false)
    {
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "a trial needs at least one episode");
        env.SetTask(task);
        var tracking = policy as ITaskTrackingPolicy<TTask>;
        var told = env.Task; // a schedule may have replaced the task before step 0
        if (policy is ITaskAwarePolicy<TTask> aware) aware.SetTask(told);
        policy.BeginTrial(rng);
        var returns = new double[episodes];
        var steps = recordSteps ? new List<double>() : null;
        var means = recordSteps ? env as IMeanReward<TAction> : null;
        for (int e = 0; e < episodes; e++)
        {
            var (obs, _) = env.Reset();
            for (int t = 0; ; t++)
            {
                if (t >= maxStepsPerEpisode)
                    throw new InvalidOperationException($"episode {e} ran past {maxStepsPerEpisode} steps without ending; does the env truncate?");
                if (tracking is not null && !EqualityComparer<TTask>.Default.Equals(env.Task, told)) tracking.SetTask(told = env.Task);
                var action = policy.Act(obs);
                double mean = means?.MeanReward(action) ?? double.NaN; // read before the step moves the state
                var r = env.Step(action);
                policy.Observe(obs, action, r.Reward, r.Obs, r.Terminated, r.Truncated);
                returns[e] += r.Reward;
                steps?.Add(means is null ? r.Reward : mean);
                obs = r.Obs;
                if (r.Done) break;
            }
        }
        if (!recordSteps) return new TrialResult(returns);
        long[] switches = env is NonStationaryEnv<TObs, TAction, TTask> ns ? ns.SwitchTimes.Where(s => s < steps!.Count).ToArray() : [];
        return new TrialResult(returns, steps!.ToArray(), switches);
    }
}
