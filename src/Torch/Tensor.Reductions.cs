using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

// Reductions over all elements or along dims: sums, means, variances, norms, extrema and their
// indexes, cumsum, all/any; and allclose. Every method returns a new tensor (allclose a bool).
public sealed partial class Tensor
{
    /// <summary>Sum of all elements.</summary>
    public unsafe Tensor sum() => Check.Result(Native.mrt_tensor_sum(Handle, null, -1, 0), "sum", this);

    /// <summary>Sum over <paramref name="dims"/>.</summary>
    public unsafe Tensor sum(ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Check.Result(Native.mrt_tensor_sum(Handle, d, dims.Length, keepdim ? 1 : 0), "sum", this);
    }

    /// <summary>Sum over one dimension.</summary>
    public Tensor sum(long dim, bool keepdim = false) => sum([dim], keepdim);

    /// <summary>Mean of all elements.</summary>
    public unsafe Tensor mean() => Check.Result(Native.mrt_tensor_mean(Handle, null, -1, 0), "mean", this);

    /// <summary>Mean over <paramref name="dims"/>.</summary>
    public unsafe Tensor mean(ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Check.Result(Native.mrt_tensor_mean(Handle, d, dims.Length, keepdim ? 1 : 0), "mean", this);
    }

    /// <summary>Mean over one dimension.</summary>
    public Tensor mean(long dim, bool keepdim = false) => mean([dim], keepdim);

    /// <summary>Product of all elements.</summary>
    public Tensor prod() => Check.Result(Native.mrt_tensor_prod(Handle, 0, 1, 0), "prod", this);

    /// <summary>Product over one dimension.</summary>
    public Tensor prod(long dim, bool keepdim = false) => Check.Result(Native.mrt_tensor_prod(Handle, dim, 0, keepdim ? 1 : 0), "prod", this);

    /// <summary>log Σ exp over <paramref name="dims"/>, computed stably.</summary>
    public unsafe Tensor logsumexp(ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Check.Result(Native.mrt_tensor_logsumexp(Handle, d, dims.Length, keepdim ? 1 : 0), "logsumexp", this);
    }

    /// <summary>log Σ exp over one dimension.</summary>
    public Tensor logsumexp(long dim, bool keepdim = false) => logsumexp([dim], keepdim);

    /// <summary>Variance of all elements.</summary>
    public unsafe Tensor var(bool unbiased = true) => Check.Result(Native.mrt_tensor_var(Handle, null, -1, unbiased ? 1 : 0, 0), "var", this);

    /// <summary>Variance over <paramref name="dims"/>.</summary>
    public unsafe Tensor var(ReadOnlySpan<long> dims, bool unbiased = true, bool keepdim = false)
    {
        fixed (long* d = dims) return Check.Result(Native.mrt_tensor_var(Handle, d, dims.Length, unbiased ? 1 : 0, keepdim ? 1 : 0), "var", this);
    }

    /// <summary>Standard deviation of all elements.</summary>
    public unsafe Tensor std(bool unbiased = true) => Check.Result(Native.mrt_tensor_std(Handle, null, -1, unbiased ? 1 : 0, 0), "std", this);

    /// <summary>Standard deviation over <paramref name="dims"/>.</summary>
    public unsafe Tensor std(ReadOnlySpan<long> dims, bool unbiased = true, bool keepdim = false)
    {
        fixed (long* d = dims) return Check.Result(Native.mrt_tensor_std(Handle, d, dims.Length, unbiased ? 1 : 0, keepdim ? 1 : 0), "std", this);
    }

    /// <summary>p-norm of all elements.</summary>
    public unsafe Tensor norm(double p = 2) => Check.Result(Native.mrt_tensor_norm(Handle, p, null, -1, 0), "norm", this);

    /// <summary>p-norm over <paramref name="dims"/>.</summary>
    public unsafe Tensor norm(double p, ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Check.Result(Native.mrt_tensor_norm(Handle, p, d, dims.Length, keepdim ? 1 : 0), "norm", this);
    }

    /// <summary>Largest element.</summary>
    public Tensor max() => Check.Result(Native.mrt_tensor_max_all(Handle), "max", this);

    /// <summary>Smallest element.</summary>
    public Tensor min() => Check.Result(Native.mrt_tensor_min_all(Handle), "min", this);

    /// <summary>Largest elements along <paramref name="dim"/> and where they are.</summary>
    public unsafe (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
    {
        nint v, i;
        Check.Status(Native.mrt_tensor_max_dim(Handle, dim, keepdim ? 1 : 0, &v, &i), "max", this);
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Smallest elements along <paramref name="dim"/> and where they are.</summary>
    public unsafe (Tensor values, Tensor indexes) min(long dim, bool keepdim = false)
    {
        nint v, i;
        Check.Status(Native.mrt_tensor_min_dim(Handle, dim, keepdim ? 1 : 0, &v, &i), "min", this);
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Flat index of the largest element.</summary>
    public Tensor argmax() => Check.Result(Native.mrt_tensor_argmax(Handle, 0, 1, 0), "argmax", this);

    /// <summary>Index of the largest element along <paramref name="dim"/>.</summary>
    public Tensor argmax(long dim, bool keepdim = false) => Check.Result(Native.mrt_tensor_argmax(Handle, dim, 0, keepdim ? 1 : 0), "argmax", this);

    /// <summary>Flat index of the smallest element.</summary>
    public Tensor argmin() => Check.Result(Native.mrt_tensor_argmin(Handle, 0, 1, 0), "argmin", this);

    /// <summary>Index of the smallest element along <paramref name="dim"/>.</summary>
    public Tensor argmin(long dim, bool keepdim = false) => Check.Result(Native.mrt_tensor_argmin(Handle, dim, 0, keepdim ? 1 : 0), "argmin", this);

    /// <summary>Running sum along <paramref name="dim"/>.</summary>
    public Tensor cumsum(long dim) => Check.Result(Native.mrt_tensor_cumsum(Handle, dim), "cumsum", this);

    /// <summary>Whether every element is true (non-zero).</summary>
    public Tensor all() => Check.Result(Native.mrt_tensor_all(Handle), "all", this);

    /// <summary>Whether any element is true (non-zero).</summary>
    public Tensor any() => Check.Result(Native.mrt_tensor_any(Handle), "any", this);

    /// <summary>|this − other| ≤ atol + rtol·|other| everywhere.</summary>
    public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        int r = Native.mrt_tensor_allclose(Handle, other.Handle, rtol, atol);
        Check.Status(r, "allclose", this, other);
        return r == 1;
    }
}
