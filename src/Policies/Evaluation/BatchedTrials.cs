using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Environments.Wrappers;
using MetaRL.Policies.Actions;

namespace MetaRL.Policies.Evaluation;

/// <summary>
/// Picks one trial's action from its row of policy output (<see cref="PolicyHead"/>): writes a vector action into
/// <paramref name="vector"/>, returns a discrete one as <paramref name="index"/>, and returns its log-probability.
/// </summary>
public delegate float ActionChoice(ReadOnlySpan<float> row, Span<float> vector, out int index);

/// <summary>The buffers one batched step of an in-context policy reads and writes, sized for a batch.</summary>
public sealed class PolicyBuffers(IInContextPolicy policy, int batch)
{
    public float[] Inputs { get; } = GC.AllocateArray<float>(batch * policy.InputSize, pinned: true);
    public float[] Memory { get; } = GC.AllocateArray<float>(batch * policy.MemorySize, pinned: true);
    public float[] Outputs { get; } = GC.AllocateArray<float>(batch * policy.OutputSize, pinned: true);
    public float[] Values { get; } = GC.AllocateArray<float>(batch, pinned: true);
}

/// <summary>
/// Runs a batch of trials of an in-context policy side by side, one batched step at a time, each to the end of its
/// episodes (a finished trial's row idles until the batch ends), with memory from zero. Shared by meta-testing
/// (<see cref="InContextEvaluator"/>) and PPO from scratch (<see cref="FromScratch"/>), which differ only in how they
/// choose actions and what they keep of each step.
/// </summary>
internal static class BatchedTrials
{
    /// <summary>
    /// One step of trial <c>trial</c>, in episode <c>episode</c>: the action drawn (an index, or the head's vector), its
    /// log-probability, its expected reward (NaN where the env does not know it) and the outcome.
    /// </summary>
    public delegate void StepObserver<TObs>(int trial, int episode, int index, ReadOnlySpan<float> vector, float logProb, double meanReward, StepResult<TObs> outcome);

    /// <summary>Sampled actions from <paramref name="rng"/>'s stream, or the most probable (<paramref name="greedy"/>).</summary>
    public static ActionChoice Choice(PolicyHead head, Random rng, bool greedy)
    {
        if (greedy) return head.Mode;
        var uniforms = new double[head.UniformsPerDraw];
        return (ReadOnlySpan<float> row, Span<float> vector, out int index) =>
        {
            for (int k = 0; k < uniforms.Length; k++) uniforms[k] = rng.NextDouble();
            return head.Draw(row, uniforms, vector, out index);
        };
    }

    /// <param name="envSeeds">Each env is reset with its seed before its trial begins.</param>
    /// <param name="onStep">
    /// Called for every step, in trial order within a batched step; the step's input row, policy row and value are
    /// still in <paramref name="buffers"/> then (row <c>trial</c>).
    /// </param>
    public static void Run<TObs, TAction, TTask>(IInContextPolicy policy, IReadOnlyList<ITaskEnv<TObs, TAction, TTask>> envs, IReadOnlyList<int> envSeeds,
        int episodesPerTrial, bool trialProgress, PolicyBuffers buffers, ActionChoice choose, StepObserver<TObs> onStep)
    {
        int n = envs.Count, inSize = policy.InputSize, outputs = policy.OutputSize;
        var rl2 = new Rl2Input<TObs, TAction>[n];
        var codecs = new ActionCodec<TAction>[n];
        var obs = new TObs[n];
        var episode = new int[n];
        var means = new IMeanReward<TAction>?[n];
        var vector = new float[policy.PolicyHead.VectorSize];
        for (int i = 0; i < n; i++)
        {
            int expected = Rl2Input<TObs, TAction>.SizeFor(envs[i].ObservationSpace, envs[i].ActionSpace, trialProgress) + policy.EpisodeNoise;
            if (inSize != expected)
                throw new ArgumentException($"the policy takes inputs of {inSize} floats but this env's RL² input has {expected}");
            rl2[i] = new Rl2Input<TObs, TAction>(envs[i].ObservationSpace, envs[i].ActionSpace, trialProgress ? episodesPerTrial : 0,
                policy.EpisodeNoise, TaskSeeds.Mix(envSeeds[i], 3));
            codecs[i] = ActionCodec.For(envs[i].ActionSpace);
            obs[i] = envs[i].Reset(envSeeds[i]).Obs;
            means[i] = envs[i] as IMeanReward<TAction>;
        }
        Array.Clear(buffers.Memory);
        int running = n;
        while (running > 0)
        {
            for (int i = 0; i < n; i++)
                if (episode[i] < episodesPerTrial) rl2[i].Write(obs[i], buffers.Inputs.AsSpan(i * inSize, inSize));
            policy.Step(n, buffers.Inputs, buffers.Memory, buffers.Outputs, buffers.Values);
            for (int i = 0; i < n; i++)
            {
                if (episode[i] >= episodesPerTrial) continue;
                float logp = choose(buffers.Outputs.AsSpan(i * outputs, outputs), vector, out int index);
                var a = codecs[i].ToEnv(index, vector);
                double mean = means[i]?.MeanReward(a) ?? double.NaN; // read before the step moves the state
                var r = envs[i].Step(a);
                onStep(i, episode[i], index, vector, logp, mean, r);
                rl2[i].Record(a, r.Reward, r.Done);
                obs[i] = r.Obs;
                if (r.Done && ++episode[i] < episodesPerTrial) obs[i] = envs[i].Reset().Obs;
                else if (r.Done) running--;
            }
        }
    }
}
