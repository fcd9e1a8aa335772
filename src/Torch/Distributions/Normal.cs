using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Distributions;

/// <summary>
/// Independent normal distributions, element-wise (PyTorch's <c>Normal</c>); a diagonal Gaussian
/// policy sums <see cref="log_prob"/> and <see cref="entropy"/> over the action dimension.
/// The distribution references loc and scale; it does not own them.
/// </summary>
public sealed class Normal
{
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Creates the distribution; loc and scale broadcast.</summary>
    public Normal(Tensor loc, Tensor scale)
    {
        this.loc = loc;
        this.scale = scale;
    }

    /// <summary>The means.</summary>
    public Tensor loc { get; }

    /// <summary>The standard deviations.</summary>
    public Tensor scale { get; }

    /// <summary>A reparameterised draw loc + ε·scale (differentiable in loc and scale).</summary>
    public Tensor rsample(Generator? generator = null)
    {
        var shape = BroadcastShape(loc.shape, scale.shape);
        using var eps = randn(shape, loc.dtype, loc.device, generator);
        using var scaled = eps * scale;
        return scaled + loc;
    }

    /// <summary>A draw without gradient.</summary>
    public Tensor sample(Generator? generator = null)
    {
        using var guard = no_grad();
        return rsample(generator);
    }

    /// <summary>Element-wise log density.</summary>
    public Tensor log_prob(Tensor value)
    {
        using var diff = value - loc;
        using var z = diff / scale;
        using var sq = z * z;
        using var half = sq * -0.5;
        using var logScale = scale.log();
        using var a = half - logScale;
        return a - LogSqrtTwoPi;
    }

    /// <summary>Element-wise entropy ½ + ½ log 2π + log σ.</summary>
    public Tensor entropy()
    {
        using var logScale = scale.log();
        return logScale + (0.5 + LogSqrtTwoPi);
    }

    private static long[] BroadcastShape(long[] a, long[] b)
    {
        var result = new long[Math.Max(a.Length, b.Length)];
        for (int i = 0; i < result.Length; i++)
        {
            long x = i < result.Length - a.Length ? 1 : a[i - (result.Length - a.Length)];
            long y = i < result.Length - b.Length ? 1 : b[i - (result.Length - b.Length)];
            if (x != y && x != 1 && y != 1)
                throw new ArgumentException($"Normal: loc [{string.Join(", ", a)}] and scale [{string.Join(", ", b)}] do not broadcast");
            result[i] = Math.Max(x, y);
        }
        return result;
    }
}
