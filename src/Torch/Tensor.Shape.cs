using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

// Views, indexing, joining and conversions. A view shares storage with its base: writing
// through one shows in the other, as in PyTorch.
public sealed partial class Tensor
{
    /// <summary>A view with another shape (one size may be −1); the elements must be contiguous enough.</summary>
    public unsafe Tensor view(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Check.Result(Native.mrt_tensor_view(Handle, s, shape.Length), "view", this);
    }

    /// <summary>The same elements in another shape (a view when possible, else a copy).</summary>
    public unsafe Tensor reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Check.Result(Native.mrt_tensor_reshape(Handle, s, shape.Length), "reshape", this);
    }

    /// <summary>A broadcast view to a larger shape (−1 keeps a size).</summary>
    public unsafe Tensor expand(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Check.Result(Native.mrt_tensor_expand(Handle, s, shape.Length), "expand", this);
    }

    /// <summary>Tiles the tensor <paramref name="repeats"/> times along each dimension.</summary>
    public unsafe Tensor repeat(params ReadOnlySpan<long> repeats)
    {
        fixed (long* s = repeats) return Check.Result(Native.mrt_tensor_repeat(Handle, s, repeats.Length), "repeat", this);
    }

    /// <summary>A view with the dimensions reordered.</summary>
    public unsafe Tensor permute(params ReadOnlySpan<long> order)
    {
        fixed (long* s = order) return Check.Result(Native.mrt_tensor_permute(Handle, s, order.Length), "permute", this);
    }

    /// <summary>Reverses the order of elements along <paramref name="dims"/>.</summary>
    public unsafe Tensor flip(params ReadOnlySpan<long> dims)
    {
        fixed (long* s = dims) return Check.Result(Native.mrt_tensor_flip(Handle, s, dims.Length), "flip", this);
    }

    /// <summary>A view with explicit sizes, strides (in elements) and storage offset.</summary>
    public unsafe Tensor as_strided(ReadOnlySpan<long> size, ReadOnlySpan<long> stride, long storageOffset = 0)
    {
        if (size.Length != stride.Length) throw new ArgumentException($"as_strided: {size.Length} sizes but {stride.Length} strides");
        fixed (long* s = size)
        fixed (long* st = stride)
            return Check.Result(Native.mrt_tensor_as_strided(Handle, s, st, size.Length, storageOffset), "as_strided", this);
    }

    /// <summary>A view with two dimensions swapped.</summary>
    public Tensor transpose(long dim0, long dim1) => Check.Result(Native.mrt_tensor_transpose(Handle, dim0, dim1), "transpose", this);

    /// <summary>The transpose of a 2-D tensor.</summary>
    public Tensor t() => transpose(0, 1);

    /// <summary>Drops every dimension of size 1.</summary>
    public Tensor squeeze() => Check.Result(Native.mrt_tensor_squeeze(Handle), "squeeze", this);

    /// <summary>Drops dimension <paramref name="dim"/> if its size is 1.</summary>
    public Tensor squeeze(long dim) => Check.Result(Native.mrt_tensor_squeeze_dim(Handle, dim), "squeeze", this);

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/>.</summary>
    public Tensor unsqueeze(long dim) => Check.Result(Native.mrt_tensor_unsqueeze(Handle, dim), "unsqueeze", this);

    /// <summary>Merges dimensions start…end into one.</summary>
    public Tensor flatten(long startDim = 0, long endDim = -1) => Check.Result(Native.mrt_tensor_flatten(Handle, startDim, endDim), "flatten", this);

    /// <summary>This tensor if contiguous, else a contiguous copy.</summary>
    public Tensor contiguous() => Check.Result(Native.mrt_tensor_contiguous(Handle), "contiguous", this);

    /// <summary>A copy with its own storage (differentiable).</summary>
    public Tensor clone() => Check.Result(Native.mrt_tensor_clone(Handle), "clone", this);

    /// <summary>A second handle to the same tensor (same storage, same autograd identity); dispose it separately.</summary>
    public Tensor alias() => Check.Result(Native.mrt_tensor_alias(Handle), "alias", this);

    /// <summary>Elements start, start+step, … before end along <paramref name="dim"/> (a view; end may be long.MaxValue).</summary>
    public Tensor slice(long dim, long start, long end, long step = 1) => Check.Result(Native.mrt_tensor_slice(Handle, dim, start, end, step), "slice", this);

    /// <summary>length elements from start along <paramref name="dim"/> (a view).</summary>
    public Tensor narrow(long dim, long start, long length) => Check.Result(Native.mrt_tensor_narrow(Handle, dim, start, length), "narrow", this);

    /// <summary>The slice at <paramref name="index"/> of dimension <paramref name="dim"/>, which is removed (a view).</summary>
    public Tensor select(long dim, long index) => Check.Result(Native.mrt_tensor_select(Handle, dim, index), "select", this);

    /// <summary>The entries at the int64 <paramref name="index"/> along <paramref name="dim"/> (a copy).</summary>
    public Tensor index_select(long dim, Tensor index) => Check.Result(Native.mrt_tensor_index_select(Handle, dim, index.Handle), "index_select", this, index);

    /// <summary>out[i][j] = this[i][index[i][j]] for dim 1 (and likewise for other dims).</summary>
    public Tensor gather(long dim, Tensor index) => Check.Result(Native.mrt_tensor_gather(Handle, dim, index.Handle), "gather", this, index);

    /// <summary>A copy with source written at <paramref name="index"/> along <paramref name="dim"/>.</summary>
    public Tensor scatter(long dim, Tensor index, Tensor source) =>
        Check.Result(Native.mrt_tensor_scatter(Handle, dim, index.Handle, source.Handle), "scatter", this, index, source);

    /// <summary>Writes source at <paramref name="index"/> along <paramref name="dim"/> in place; returns this.</summary>
    public Tensor scatter_(long dim, Tensor index, Tensor source)
    {
        Check.Status(Native.mrt_tensor_scatter_(Handle, dim, index.Handle, source.Handle), "scatter_", this, index, source);
        return this;
    }

    /// <summary>A copy with source added at <paramref name="index"/> along <paramref name="dim"/>.</summary>
    public Tensor scatter_add(long dim, Tensor index, Tensor source) =>
        Check.Result(Native.mrt_tensor_scatter_add(Handle, dim, index.Handle, source.Handle), "scatter_add", this, index, source);

    /// <summary>The elements where <paramref name="mask"/> is true, as a 1-D tensor.</summary>
    public Tensor masked_select(Tensor mask) => Check.Result(Native.mrt_tensor_masked_select(Handle, mask.Handle), "masked_select", this, mask);

    /// <summary>this[index] with an int64 or bool index tensor on dimension 0 (Python's advanced indexing).</summary>
    public Tensor index(Tensor index) => Check.Result(Native.mrt_tensor_index(Handle, index.Handle), "index", this, index);

    /// <summary>Splits into <paramref name="chunks"/> nearly equal views along <paramref name="dim"/>.</summary>
    public unsafe Tensor[] chunk(long chunks, long dim = 0)
    {
        if (chunks <= 0) throw new ArgumentOutOfRangeException(nameof(chunks), $"chunk needs a positive number of chunks, got {chunks}");
        var handles = new nint[chunks];
        int n;
        fixed (nint* p = handles) n = Native.mrt_tensor_chunk(Handle, chunks, dim, p, handles.Length);
        Check.Status(n, "chunk", this);
        var result = new Tensor[n];
        for (int i = 0; i < n; i++) result[i] = new Tensor(handles[i]);
        return result;
    }

    /// <summary>Splits into views of the given sizes along <paramref name="dim"/>.</summary>
    public unsafe Tensor[] split(ReadOnlySpan<long> sizes, long dim = 0)
    {
        var handles = new nint[sizes.Length];
        int n;
        fixed (long* s = sizes)
        fixed (nint* p = handles)
            n = Native.mrt_tensor_split(Handle, s, sizes.Length, dim, p);
        Check.Status(n, "split", this);
        var result = new Tensor[n];
        for (int i = 0; i < n; i++) result[i] = new Tensor(handles[i]);
        return result;
    }

    /// <summary>The lower triangle (elements with column − row ≤ k), zeros elsewhere.</summary>
    public Tensor tril(long diagonal = 0) => Check.Result(Native.mrt_tensor_tril(Handle, diagonal), "tril", this);

    /// <summary>The upper triangle (elements with column − row ≥ k), zeros elsewhere.</summary>
    public Tensor triu(long diagonal = 0) => Check.Result(Native.mrt_tensor_triu(Handle, diagonal), "triu", this);

    /// <summary>This tensor converted to <paramref name="type"/> (itself, as a new handle, if it already is).</summary>
    public Tensor to(ScalarType type) => Check.Result(Native.mrt_tensor_to_dtype(Handle, (int)type), "to", this);

    /// <summary>This tensor on <paramref name="target"/> (a new handle to itself if it is already there).</summary>
    public Tensor to(Device target, bool nonBlocking = false) =>
        Check.Result(Native.mrt_tensor_to_device(Handle, (int)target.Type, target.Index, nonBlocking ? 1 : 0), "to", this);

    /// <summary>This tensor on the CPU.</summary>
    public Tensor cpu() => to(Device.CPU);

    /// <summary>This tensor on CUDA device <paramref name="index"/>.</summary>
    public Tensor cuda(int index = 0) => to(Device.CUDA(index));

    /// <summary>As float32.</summary>
    public Tensor @float() => to(ScalarType.Float32);

    /// <summary>As float64.</summary>
    public Tensor @double() => to(ScalarType.Float64);

    /// <summary>As int64.</summary>
    public Tensor @long() => to(ScalarType.Int64);

    /// <summary>As bool.</summary>
    public Tensor @bool() => to(ScalarType.Bool);

    /// <summary>Re-points this tensor at <paramref name="source"/>'s data, keeping its identity (module.to).</summary>
    internal void SetData(Tensor source) => Check.Status(Native.mrt_tensor_set_data(Handle, source.Handle), "set_data", this, source);

    /// <summary>Python-style indexing: integers select, ranges slice, <see cref="TensorIndex.None"/> inserts a dimension,
    /// <see cref="TensorIndex.Ellipsis"/> skips the remaining ones, and one index tensor selects along its dimension.
    /// Setting copies (or broadcasts) into the view.</summary>
    public Tensor this[params TensorIndex[] indices]
    {
        get => TensorIndex.Apply(this, indices);
        set
        {
            if (indices.Any(i => i.IsTensor))
                throw new NotSupportedException("assigning through an index tensor is not supported; use scatter or masked_fill");
            using var view = TensorIndex.Apply(this, indices);
            view.copy_(value);
        }
    }
}
