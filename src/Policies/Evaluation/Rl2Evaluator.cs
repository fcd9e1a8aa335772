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
public static class Rl2Evaluator
{
    public static AdaptationCurve Evaluate<TObs, TTask>(
        IRecurrentPolicy policy,
        ITaskDistribution<TTask> tasks,
        Func<TTask, ITaskEnv<TObs, int, TTask>> createEnv,
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
        int inSize = policy.InputSize, memSize = policy.MemorySize, actions = policy.ActionCount;
        var inputs = GC.AllocateArray<float>(batch * inSize, pinned: true);
        var memory = GC.AllocateArray<float>(batch * memSize, pinned: true);
        var probs = GC.AllocateArray<float>(batch * actions, pinned: true);
        var values = GC.AllocateArray<float>(batch, pinned: true);

        for (int first = 0; first < trials; first += batch)
        {
            int n = Math.Min(batch, trials - first);
            var envs = new ITaskEnv<TObs, int, TTask>[n];
            var rl2 = new Rl2Input<TObs, int>[n];
            var obs = new TObs[n];
            var episode = new int[n];
            var steps = tracking is null ? null : new List<double>[n];
            var means = new IMeanReward<int>?[n];
            for (int i = 0; i < n; i++)
            {
                envs[i] = createEnv(tasks.Sample(taskRng));
                int expected = Rl2Input<TObs, int>.SizeFor(envs[i].ObservationSpace, envs[i].ActionSpace, trialProgress);
                if (policy.InputSize != expected)
                    throw new ArgumentException($"the policy takes inputs of {policy.InputSize} floats but this env's RL² input has {expected}");
                rl2[i] = new Rl2Input<TObs, int>(envs[i].ObservationSpace, envs[i].ActionSpace, trialProgress ? episodesPerTrial : 0);
                obs[i] = envs[i].Reset(BaselineEvaluator.EnvSeed(seed, first + i)).Obs; // the env seed the baselines use for this trial
                returns[first + i] = new double[episodesPerTrial];
                if (steps is not null) steps[i] = [];
                means[i] = envs[i] as IMeanReward<int>;
            }
            Array.Clear(memory);
            int running = n;
            while (running > 0)
            {
                for (int i = 0; i < n; i++)
                    if (episode[i] < episodesPerTrial) rl2[i].Write(obs[i], inputs.AsSpan(i * inSize, inSize));
                policy.Step(n, inputs, memory, probs, values);
                for (int i = 0; i < n; i++)
                {
                    if (episode[i] >= episodesPerTrial) continue; // this trial is over; its row idles until the batch ends
                    var p = probs.AsSpan(i * actions, actions);
                    int a = greedy ? ArgMax(p) : Sampling.Categorical(actionRng, p);
                    double mean = steps is not null && means[i] is { } m ? m.MeanReward(a) : double.NaN; // before the step moves the state
                    var r = envs[i].Step(a);
                    returns[first + i][episode[i]] += r.Reward;
                    steps?[i].Add(means[i] is null ? r.Reward : mean);
                    rl2[i].Record(a, r.Reward, r.Done);
                    obs[i] = r.Obs;
                    if (r.Done && ++episode[i] < episodesPerTrial) obs[i] = envs[i].Reset().Obs;
                    else if (r.Done) running--;
                }
            }
            if (tracking is not null)
                for (int i = 0; i < n; i++) Record(tracking, first + i, steps![i], envs[i]);
        }
        return AdaptationCurve.From(returns);
    }

    /// <summary>A finished trial's step rewards and switches, in trial order (so the sums do not depend on batching).</summary>
    private static void Record<TObs, TTask>(TrackingRecord tracking, int trial, List<double> steps, ITaskEnv<TObs, int, TTask> env)
    {
        var rewards = steps.ToArray();
        tracking.ExpectedScores[trial] = rewards.Sum();
        var switches = env is NonStationaryEnv<TObs, int, TTask> ns ? ns.SwitchTimes.Where(t => t < rewards.Length).ToArray() : [];
        tracking.Recovery.AddTrial(rewards, switches);
    }

    private static int ArgMax(ReadOnlySpan<float> p)
    {
        int best = 0;
        for (int a = 1; a < p.Length; a++) if (p[a] > p[best]) best = a;
        return best;
    }
}
