using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Actions;

/// <summary>
/// Box actions: a diagonal Gaussian N(μ(h), σ²) over a normalised action u ∈ ℝᴰ, as in PPO for continuous control
/// (Schulman et al. 2017; CleanRL's ppo_continuous_action). The policy output is D means then D log standard
/// deviations (state-independent: a learned vector, <see cref="GaussianPolicyModel"/>); an inference row is the D
/// means then the D standard deviations. The env gets u clipped to [−1, 1] and mapped onto its box's bounds
/// (<see cref="BoxActions"/>); the trajectory keeps u itself, whose log-probability PPO scores:
/// <code>
///   log π(u|h) = Σ_d [ −½ ((u_d − μ_d) / σ_d)² − log σ_d − ½ log 2π ]
///   H          = Σ_d [ log σ_d + ½ (1 + log 2π) ]
/// </code>
/// </summary>
public sealed class GaussianHead : PolicyHead
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    public GaussianHead(int dims) => Dims = dims > 0 ? dims : throw new ArgumentOutOfRangeException(nameof(dims), dims, "at least one dimension");

    public int Dims { get; }
    public override int OutputSize => 2 * Dims;
    public override int VectorSize => Dims;
    public override int UniformsPerDraw => 2 * Dims;
    public override int CoreOutputs => Dims;

    /// <summary>The log standard deviation every dimension starts at: σ ≈ 0.61 of the half-width of the box.</summary>
    public const double InitialLogStd = -0.5;

    public override Tensor InferenceRows(Tensor output)
    {
        var mean = output.narrow(-1, 0, Dims);
        var std = output.narrow(-1, Dims, Dims).exp();
        return cat([mean, std], -1);
    }

    public override float Draw(ReadOnlySpan<float> row, ReadOnlySpan<double> uniforms, Span<float> vector, out int index)
    {
        index = 0;
        double logp = 0;
        for (int d = 0; d < Dims; d++)
        {
            // Box–Muller from the pair (u₁, u₂); 1 − u₁ is in (0, 1], so its log is finite.
            double z = Math.Sqrt(-2 * Math.Log(1 - uniforms[2 * d])) * Math.Cos(2 * Math.PI * uniforms[2 * d + 1]);
            double mean = row[d], std = row[Dims + d];
            vector[d] = (float)(mean + std * z);
            logp += -0.5 * z * z - Math.Log(std) - HalfLog2Pi;
        }
        return (float)logp;
    }

    public override float Mode(ReadOnlySpan<float> row, Span<float> vector, out int index)
    {
        index = 0;
        double logp = 0;
        for (int d = 0; d < Dims; d++)
        {
            vector[d] = row[d];
            logp += -Math.Log(row[Dims + d]) - HalfLog2Pi;
        }
        return (float)logp;
    }

    public override (Tensor LogProb, Tensor Entropy) Evaluate(Tensor output, Tensor actions)
    {
        var mean = output.narrow(-1, 0, Dims);
        var logStd = output.narrow(-1, Dims, Dims);
        var z = (actions - mean) / logStd.exp();
        var logp = (-0.5 * z * z - logStd - HalfLog2Pi).sum(-1);
        var entropy = (logStd + (0.5 + HalfLog2Pi)).sum(-1);
        return (logp, entropy);
    }

    public override InContextModel Wrap(InContextModel core) => new GaussianPolicyModel(core, Dims, InitialLogStd);
}
