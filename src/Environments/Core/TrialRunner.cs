using MetaRL.Environments.Policies;

namespace MetaRL.Environments;

/// <summary>The returns of one trial: one entry per episode, in order.</summary>
public sealed record TrialResult(double[] EpisodeReturns)
{
    /// <summary>The trial's score: total reward over all its episodes.</summary>
    public double Total => EpisodeReturns.Sum();
}

/// <summary>Runs trials (N episodes of one task) of a policy on an env.</summary>
public static class TrialRunner
{
    /// <summary>
    /// Sets <paramref name="task"/> on the env (and on the policy when it is task-aware), starts the
    /// policy's trial, then runs <paramref name="episodes"/> episodes to their end.
    /// </summary>
    public static TrialResult Run<TObs, TAction, TTask>(
        ITaskEnv<TObs, TAction, TTask> env, IPolicy<TObs, TAction> policy, TTask task, int episodes, Random rng,
        int maxStepsPerEpisode = 100_000)
    {
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "a trial needs at least one episode");
        env.SetTask(task);
        if (policy is ITaskAwarePolicy<TTask> aware) aware.SetTask(task);
        policy.BeginTrial(rng);
        var returns = new double[episodes];
        for (int e = 0; e < episodes; e++)
        {
            var (obs, _) = env.Reset();
            for (int t = 0; ; t++)
            {
                if (t >= maxStepsPerEpisode)
                    throw new InvalidOperationException($"episode {e} ran past {maxStepsPerEpisode} steps without ending; does the env truncate?");
                var action = policy.Act(obs);
                var r = env.Step(action);
                policy.Observe(obs, action, r.Reward, r.Obs, r.Terminated, r.Truncated);
                returns[e] += r.Reward;
                obs = r.Obs;
                if (r.Done) break;
            }
        }
        return new TrialResult(returns);
    }
}
