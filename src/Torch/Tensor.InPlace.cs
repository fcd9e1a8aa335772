using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

// In-place methods (arithmetic, fills, random fills): each changes this tensor and returns it, for
// chaining.
public sealed partial class Tensor
{
    /// <summary>this += alpha · other.</summary>
    public Tensor add_(Tensor other, double alpha = 1) { Check.Status(Native.mrt_tensor_add_(Handle, other.Handle, alpha), "add_", this, other); return this; }

    /// <summary>this *= other.</summary>
    public Tensor mul_(Tensor other) { Check.Status(Native.mrt_tensor_mul_(Handle, other.Handle), "mul_", this, other); return this; }

    /// <summary>this += value.</summary>
    public Tensor add_(double value) { Check.Status(Native.mrt_tensor_add_scalar_(Handle, value, 0), "add_", this); return this; }

    /// <summary>this *= value.</summary>
    public Tensor mul_(double value) { Check.Status(Native.mrt_tensor_mul_scalar_(Handle, value, 0), "mul_", this); return this; }

    /// <summary>Copies <paramref name="source"/> into this tensor (broadcasting, converting dtype and device).</summary>
    public Tensor copy_(Tensor source) { Check.Status(Native.mrt_tensor_copy_(Handle, source.Handle), "copy_", this, source); return this; }

    /// <summary>Sets every element to zero.</summary>
    public Tensor zero_() { Check.Status(Native.mrt_tensor_zero_(Handle), "zero_", this); return this; }

    /// <summary>Sets every element to value.</summary>
    public Tensor fill_(double value) { Check.Status(Native.mrt_tensor_fill_(Handle, value, dtype.IsIntegral() ? 1 : 0), "fill_", this); return this; }

    /// <summary>Clamps in place.</summary>
    public Tensor clamp_(double? min = null, double? max = null)
    {
        Check.Status(Native.mrt_tensor_clamp_(Handle, min ?? 0, min.HasValue ? 1 : 0, max ?? 0, max.HasValue ? 1 : 0), "clamp_", this);
        return this;
    }

    /// <summary>Fills with U(from, to) draws.</summary>
    public Tensor uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        Check.Status(Native.mrt_tensor_uniform_(Handle, from, to, generator?.Handle ?? 0), "uniform_", this);
        GC.KeepAlive(generator);
        return this;
    }

    /// <summary>Fills with N(mean, std²) draws.</summary>
    public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        Check.Status(Native.mrt_tensor_normal_(Handle, mean, std, generator?.Handle ?? 0), "normal_", this);
        GC.KeepAlive(generator);
        return this;
    }

    /// <summary>Fills with Bernoulli(p) draws.</summary>
    public Tensor bernoulli_(double p = 0.5, Generator? generator = null)
    {
        Check.Status(Native.mrt_tensor_bernoulli_(Handle, p, generator?.Handle ?? 0), "bernoulli_", this);
        GC.KeepAlive(generator);
        return this;
    }

    /// <summary>Sets value where mask is true.</summary>
    public Tensor masked_fill_(Tensor mask, double value)
    {
        Check.Status(Native.mrt_tensor_masked_fill_(Handle, mask.Handle, value, dtype.IsIntegral() ? 1 : 0), "masked_fill_", this, mask);
        return this;
    }
}
