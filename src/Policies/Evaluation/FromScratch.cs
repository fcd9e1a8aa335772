using MetaRL.Environments;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.Tasks;
using MetaRL.Policies.Algorithms;

namespace MetaRL.Policies.Evaluation;

/// <summary>
/// The sample-efficiency yardstick of in-context adaptation: PPO from scratch on one task, with no meta-learning.
/// A fresh model is trained on trials of that single task alone (its schedule, if any, drawn anew each trial) until
/// the mean score of an update's trials reaches a target, the in-context learner's score on the same task;
/// <see cref="StepsToReach{TObs,TTask}"/> counts the env steps that took.
/// </summary>
public static class FromScratch
{
    /// <summary>
    /// Env steps of PPO from scratch until an update's <paramref name="trialsPerUpdate"/> trials score
    /// <paramref name="target"/> on average (counting that update's own steps), or null when
    /// <paramref name="maxUpdates"/> updates did not get there; with the best mean score an update reached.
    /// <paramref name="trainer"/> is fresh and owned here.
    /// </summary>
    public static (long? Steps, double Best) StepsToReach<TObs, TTask>(PpoTrainer trainer, IInContextPolicy policy, TTask task, Func<TTask, ITaskEnv<TObs, int, TTask>> makeEnv,
        int episodesPerTrial, double target, int trialsPerUpdate, int maxUpdates, int seed, bool trialProgress = false)
    {
        using (trainer)
        {
            policy.LoadParameters(trainer.GetParameters());
            long steps = 0;
            double best = double.NegativeInfinity;
            for (int u = 0; u < maxUpdates; u++)
            {
                var trials = Rollout(policy, task, makeEnv, episodesPerTrial, trialsPerUpdate, TaskSeeds.Mix(seed, u), trialProgress);
                steps += trials.Sum(t => (long)t.Steps);
                double score = trials.Average(t => t.Score);
                best = Math.Max(best, score);
                if (score >= target) return (steps, best);
                trainer.Update(trials, u, (double)u / maxUpdates);
                policy.LoadParameters(trainer.GetParameters());
            }
            return (null, best);
        }
    }

    /// <summary>One batch of trials of <paramref name="task"/>, sampled from the policy, as the learner trains on them.</summary>
    private static List<Trajectory> Rollout<TObs, TTask>(IInContextPolicy policy, TTask task, Func<TTask, ITaskEnv<TObs, int, TTask>> makeEnv,
        int episodesPerTrial, int n, int seed, bool trialProgress)
    {
        int inSize = policy.InputSize;
        var buffers = new PolicyBuffers(policy, n);
        var rng = new Random(seed);
        var envs = Enumerable.Range(0, n).Select(_ => makeEnv(task)).ToArray();
        var seeds = Enumerable.Range(0, n).Select(i => BaselineEvaluator.EnvSeed(seed, i)).ToArray();
        var record = Enumerable.Range(0, n).Select(_ => new TrialRecord()).ToArray();
        BatchedTrials.Run(policy, envs, seeds, episodesPerTrial, trialProgress, buffers, BatchedTrials.Choice(policy.PolicyHead, rng, greedy: false), (i, _, a, _, logp, mean, step) =>
        {
            var r = record[i];
            r.Inputs.AddRange(buffers.Inputs.AsSpan(i * inSize, inSize));
            r.Actions.Add(a);
            r.LogProbs.Add(logp);
            r.Values.Add(buffers.Values[i]);
            r.Means.Add((float)mean);
            r.Rewards.Add((float)step.Reward);
            r.Ends.Add(step.Done);
        });
        return record.Select((r, i) => new Trajectory(i, 0, r.Actions.Count, inSize, [.. r.Inputs], [.. r.Actions], [.. r.LogProbs], [.. r.Values],
            [.. r.Rewards], [.. r.Ends], 0, 0, envs[i] is IMeanReward<int> ? [.. r.Means] : null)).ToList();
    }

    /// <summary>What a trial keeps of each step until it becomes a <see cref="Trajectory"/>.</summary>
    private sealed class TrialRecord
    {
        public List<float> Inputs { get; } = [];
        public List<int> Actions { get; } = [];
        public List<float> LogProbs { get; } = [];
        public List<float> Values { get; } = [];
        public List<float> Rewards { get; } = [];
        public List<bool> Ends { get; } = [];
        public List<float> Means { get; } = [];
    }
}
