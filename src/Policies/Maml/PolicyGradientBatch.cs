using MetaRL.Environments;
using MetaRL.Environments.Spaces;
using MetaRL.Policies.Actions;
using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Maml;

/// <summary>
/// K episodes of one task under one set of parameters, as a policy-gradient step needs them: observations [N, O],
/// normalised actions [N, D] and advantages [N] (reward-to-go minus the mean reward-to-go of the same time step over the
/// K episodes, then standardised), and the mean episode return.
/// </summary>
public sealed class PolicyGradientBatch(Tensor observations, Tensor actions, Tensor advantages, double meanReturn) : IDisposable
{
    public Tensor Observations { get; } = observations;
    public Tensor Actions { get; } = actions;
    public Tensor Advantages { get; } = advantages;
    public double MeanReturn { get; } = meanReturn;

    /// <summary>The vanilla policy-gradient surrogate −mean(log π(u|o) · Â) under <paramref name="p"/> (on the autograd graph).</summary>
    public Tensor Loss(IReadOnlyList<Tensor> p) => -(GaussianMlp.LogProb(Observations, Actions, p) * Advantages).mean();

    /// <summary>
    /// Runs <paramref name="episodes"/> episodes of one task side by side (one env each, from <paramref name="makeEnv"/>),
    /// sampling u ~ N(μ(o; p), σ²) with <paramref name="rng"/>; the env gets u clipped and mapped onto its box.
    /// </summary>
    public static PolicyGradientBatch Collect<TTask>(Func<ITaskEnv<float[], float[], TTask>> makeEnv, IReadOnlyList<Tensor> p, int episodes, double gamma, Random rng)
    {
        var envs = new ITaskEnv<float[], float[], TTask>[episodes];
        for (int i = 0; i < episodes; i++) envs[i] = makeEnv();
        var box = (Box)envs[0].ActionSpace;
        var codec = new BoxActions(box);
        int obsSize = envs[0].ObservationSpace.FlatSize, dims = box.Dims;
        var obs = new float[episodes][];
        var done = new bool[episodes];
        for (int i = 0; i < episodes; i++) obs[i] = envs[i].Reset(rng.Next()).Obs;
        var steps = new List<(float[] Obs, float[] U, float Reward)>[episodes];
        for (int i = 0; i < episodes; i++) steps[i] = [];
        float[] std;
        using (no_grad())
        using (var logStd = GaussianMlp.LogStd(p).exp()) std = logStd.ToArray<float>();
        var batch = new float[episodes * obsSize];
        for (int running = episodes; running > 0;)
        {
            for (int i = 0; i < episodes; i++) Array.Copy(obs[i], 0, batch, i * obsSize, obsSize);
            float[] means;
            using (no_grad())
            using (var scope = NewDisposeScope())
                means = GaussianMlp.Mean(tensor(batch, [episodes, obsSize]), p).ToArray<float>();
            for (int i = 0; i < episodes; i++)
            {
                if (done[i]) continue;
                var u = new float[dims];
                for (int d = 0; d < dims; d++) u[d] = (float)(means[i * dims + d] + std[d] * Sampling.Normal(rng));
                var r = envs[i].Step(codec.ToEnv(0, u));
                steps[i].Add((obs[i], u, (float)r.Reward));
                obs[i] = r.Obs;
                if (r.Done)
                {
                    done[i] = true;
                    running--;
                }
            }
        }
        return FromEpisodes(steps, obsSize, dims, gamma);
    }

    private static PolicyGradientBatch FromEpisodes(List<(float[] Obs, float[] U, float Reward)>[] episodes, int obsSize, int dims, double gamma)
    {
        int n = episodes.Sum(e => e.Count), longest = episodes.Max(e => e.Count);
        var toGo = episodes.Select(e =>
        {
            var g = new double[e.Count];
            double acc = 0;
            for (int t = e.Count - 1; t >= 0; t--) g[t] = acc = e[t].Reward + gamma * acc;
            return g;
        }).ToArray();
        // The time baseline: the K episodes' mean reward-to-go at each step.
        var baseline = new double[longest];
        var counts = new int[longest];
        foreach (var g in toGo)
            for (int t = 0; t < g.Length; t++)
            {
                baseline[t] += g[t];
                counts[t]++;
            }
        for (int t = 0; t < longest; t++) baseline[t] /= counts[t];
        var o = new float[n * obsSize];
        var u = new float[n * dims];
        var adv = new double[n];
        int k = 0;
        for (int i = 0; i < episodes.Length; i++)
            for (int t = 0; t < episodes[i].Count; t++, k++)
            {
                episodes[i][t].Obs.CopyTo(o, k * obsSize);
                episodes[i][t].U.CopyTo(u, k * dims);
                adv[k] = toGo[i][t] - baseline[t];
            }
        double mean = adv.Average(), sd = Math.Sqrt(adv.Select(a => (a - mean) * (a - mean)).Average());
        var a = adv.Select(x => (float)((x - mean) / (sd + 1e-8))).ToArray();
        double meanReturn = episodes.Average(e => e.Sum(s => (double)s.Reward));
        return new PolicyGradientBatch(tensor(o, [n, obsSize]), tensor(u, [n, dims]), tensor(a, [n]), meanReturn);
    }

    public void Dispose()
    {
        Observations.Dispose();
        Actions.Dispose();
        Advantages.Dispose();
    }
}
