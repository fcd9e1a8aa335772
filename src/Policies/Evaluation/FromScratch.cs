using MetaRL.Environments;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.Tasks;
using MetaRL.Environments.Wrappers;
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
    public static (long? Steps, double Best) StepsToReach<TObs, TTask>(PpoTrainer trainer, IRecurrentPolicy policy, TTask task, Func<TTask, ITaskEnv<TObs, int, TTask>> makeEnv,
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
    private static List<Trajectory> Rollout<TObs, TTask>(IRecurrentPolicy policy, TTask task, Func<TTask, ITaskEnv<TObs, int, TTask>> makeEnv,
        int episodesPerTrial, int n, int seed, bool trialProgress)
    {
        int inSize = policy.InputSize, memSize = policy.MemorySize, actions = policy.ActionCount;
        var inputs = new float[n * inSize];
        var memory = new float[n * memSize];
        var probs = new float[n * actions];
        var values = new float[n];
        var rng = new Random(seed);
        var envs = new ITaskEnv<TObs, int, TTask>[n];
        var rl2 = new Rl2Input<TObs, int>[n];
        var obs = new TObs[n];
        var episode = new int[n];
        var means = new IMeanReward<int>?[n];
        var record = new (List<float> Inputs, List<int> Actions, List<float> LogProbs, List<float> Values, List<float> Rewards, List<bool> Ends, List<float> Means)[n];
        for (int i = 0; i < n; i++)
        {
            envs[i] = makeEnv(task);
            rl2[i] = new Rl2Input<TObs, int>(envs[i].ObservationSpace, envs[i].ActionSpace, trialProgress ? episodesPerTrial : 0);
            obs[i] = envs[i].Reset(BaselineEvaluator.EnvSeed(seed, i)).Obs;
            means[i] = envs[i] as IMeanReward<int>;
            record[i] = ([], [], [], [], [], [], []);
        }
        int running = n;
        while (running > 0)
        {
            for (int i = 0; i < n; i++)
                if (episode[i] < episodesPerTrial) rl2[i].Write(obs[i], inputs.AsSpan(i * inSize, inSize));
            policy.Step(n, inputs, memory, probs, values);
            for (int i = 0; i < n; i++)
            {
                if (episode[i] >= episodesPerTrial) continue;
                var p = probs.AsSpan(i * actions, actions);
                int a = Sampling.Categorical(rng, p);
                var r = record[i];
                r.Inputs.AddRange(inputs.AsSpan(i * inSize, inSize));
                r.Actions.Add(a);
                r.LogProbs.Add(MathF.Log(Math.Max(p[a], 1e-30f)));
                r.Values.Add(values[i]);
                r.Means.Add(means[i] is { } m ? (float)m.MeanReward(a) : float.NaN);
                var step = envs[i].Step(a);
                r.Rewards.Add((float)step.Reward);
                r.Ends.Add(step.Done);
                rl2[i].Record(a, step.Reward, step.Done);
                obs[i] = step.Obs;
                if (step.Done && ++episode[i] < episodesPerTrial) obs[i] = envs[i].Reset().Obs;
                else if (step.Done) running--;
            }
        }
        return record.Select((r, i) => new Trajectory(i, 0, r.Actions.Count, inSize, [.. r.Inputs], [.. r.Actions], [.. r.LogProbs], [.. r.Values],
            [.. r.Rewards], [.. r.Ends], 0, 0, means[i] is null ? null : [.. r.Means])).ToList();
    }
}
