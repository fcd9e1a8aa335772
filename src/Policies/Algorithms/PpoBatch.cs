using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Algorithms;

/// <summary>
/// A batch of whole trials laid out time-major for a recurrent forward pass: [T, B, …] padded to the longest
/// trial, with a mask of real steps. Advantages and returns come from <see cref="Gae"/> over each trial (the
/// trial's last step is terminal). Built once per update; minibatches select trials (dim 1) from it.
/// </summary>
public sealed class PpoBatch : IDisposable
{
    private PpoBatch(Tensor inputs, Tensor actions, Tensor oldLogProbs, Tensor advantages, Tensor returns, Tensor mask, int trials, int steps)
    {
        Inputs = inputs;
        Actions = actions;
        OldLogProbs = oldLogProbs;
        Advantages = advantages;
        Returns = returns;
        Mask = mask;
        Trials = trials;
        Steps = steps;
    }

    /// <summary>[T, B, In] float32.</summary>
    public Tensor Inputs { get; }

    /// <summary>[T, B] int64 indices, or [T, B, D] float32 vectors (Box actions: <see cref="Trajectory.ActionVectors"/>).</summary>
    public Tensor Actions { get; }

    /// <summary>[T, B] float32: log π_old(a|h) as the rollout recorded it.</summary>
    public Tensor OldLogProbs { get; }

    /// <summary>[T, B] float32: GAE advantages (not normalised).</summary>
    public Tensor Advantages { get; }

    /// <summary>[T, B] float32: value targets (advantage + old value).</summary>
    public Tensor Returns { get; }

    /// <summary>[T, B] float32: 1 for real steps, 0 for padding.</summary>
    public Tensor Mask { get; }

    public int Trials { get; }
    public int Steps { get; }

    /// <param name="meanRewards">Build returns from the trials' <see cref="Trajectory.MeanRewards"/> instead of the sampled rewards.</param>
    public static PpoBatch Build(IReadOnlyList<Trajectory> trials, float gamma, float lambda, float rewardScale = 1f, bool meanRewards = false)
    {
        if (trials.Count == 0) throw new ArgumentException("a PPO batch needs at least one trial");
        int b = trials.Count, inSize = trials[0].InputSize, tMax = 0;
        int dims = trials[0].ActionVectors is { } v0 ? v0.Length / Math.Max(trials[0].Steps, 1) : 0;
        foreach (var t in trials)
        {
            if (t.InputSize != inSize) throw new ArgumentException($"trials disagree on the input size ({t.InputSize} vs {inSize})");
            if ((t.ActionVectors?.Length ?? 0) != dims * t.Steps) throw new ArgumentException("trials disagree on their actions (indices or vectors of one size)");
            tMax = Math.Max(tMax, t.Steps);
        }
        var vectors = dims > 0 ? new float[tMax * b * dims] : null;
        var x = new float[tMax * b * inSize];
        var actions = new long[tMax * b];
        var oldLogp = new float[tMax * b];
        var adv = new float[tMax * b];
        var ret = new float[tMax * b];
        var mask = new float[tMax * b];
        var advOne = new float[tMax];
        var retOne = new float[tMax];
        var terminated = new bool[tMax];
        var none = new bool[tMax];
        var zeros = new float[tMax];
        var scaled = new float[tMax];
        for (int j = 0; j < b; j++)
        {
            var t = trials[j];
            int n = t.Steps;
            Array.Clear(terminated);
            terminated[n - 1] = true; // the trial ran to its end: nothing of this task follows
            var rewards = meanRewards
                ? t.MeanRewards ?? throw new ArgumentException(
                    $"rewardSignal Mean needs mean rewards, but trial {t.TrialIndex} of agent {t.AgentIndex} has none: its env does not report them (IMeanReward)")
                : t.Rewards;
            for (int s = 0; s < n; s++) scaled[s] = rewards[s] * rewardScale;
            Gae.Compute(scaled.AsSpan(0, n), t.Values.AsSpan(0, n), terminated.AsSpan(0, n), none.AsSpan(0, n), zeros.AsSpan(0, n),
                gamma, lambda, advOne.AsSpan(0, n), retOne.AsSpan(0, n));
            for (int s = 0; s < n; s++)
            {
                int i = s * b + j;
                t.Inputs.AsSpan(s * inSize, inSize).CopyTo(x.AsSpan(i * inSize, inSize));
                actions[i] = t.Actions[s];
                if (vectors is not null) t.ActionVectors.AsSpan(s * dims, dims).CopyTo(vectors.AsSpan(i * dims, dims));
                oldLogp[i] = t.LogProbs[s];
                adv[i] = advOne[s];
                ret[i] = retOne[s];
                mask[i] = 1f;
            }
        }
        return new PpoBatch(tensor(x, [tMax, b, inSize]), vectors is null ? tensor(actions, [tMax, b]) : tensor(vectors, [tMax, b, dims]), tensor(oldLogp, [tMax, b]),
            tensor(adv, [tMax, b]), tensor(ret, [tMax, b]), tensor(mask, [tMax, b]), b, tMax);
    }

    /// <summary>
    /// The PPO loss (<see cref="PpoLoss"/>) of the trials <paramref name="trials"/> of this batch under
    /// <paramref name="model"/>'s current parameters: one forward pass over the whole trials, from their first step.
    /// </summary>
    /// <param name="whole">For a part of a minibatch: the whole minibatch's norm (see <see cref="MinibatchNorm"/>).</param>
    public PpoLossTerms Loss(InContextModel model, long[] trials, PpoOptions options, MinibatchNorm? whole = null)
    {
        var idx = torch.tensor(trials, [trials.Length]);
        var (output, values, auxiliary) = model.ForwardTrialsForLoss(Inputs.index_select(1, idx));
        return PpoLoss.Compute(model.PolicyHead, output, values, Actions.index_select(1, idx), OldLogProbs.index_select(1, idx),
            Advantages.index_select(1, idx), Returns.index_select(1, idx), Mask.index_select(1, idx), options, whole, auxiliary);
    }

    /// <summary>The advantage sums over the real steps of <paramref name="trials"/> (to norm a minibatch split into parts).</summary>
    public AdvantageSums Sums(long[] trials)
    {
        var idx = torch.tensor(trials, [trials.Length]);
        var mask = Mask.index_select(1, idx).to(ScalarType.Float64);
        var advantages = Advantages.index_select(1, idx).to(ScalarType.Float64) * mask;
        return new AdvantageSums(mask.sum().item<double>(), advantages.sum().item<double>(), (advantages * advantages).sum().item<double>());
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Actions.Dispose();
        OldLogProbs.Dispose();
        Advantages.Dispose();
        Returns.Dispose();
        Mask.Dispose();
    }
}
