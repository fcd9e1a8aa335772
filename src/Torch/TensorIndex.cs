namespace MetaRL.Torch;

/// <summary>One entry of a Python-style index: <c>t[0, 1..3, TensorIndex.None, ^1]</c>.</summary>
public readonly struct TensorIndex
{
    private enum Kind { Single, Slice, None, Ellipsis, Tensor }

    private readonly Kind kind;
    private readonly long start;
    private readonly long end;
    private readonly long step;
    private readonly Tensor? tensor;

    private TensorIndex(Kind kind, long start = 0, long end = 0, long step = 1, Tensor? tensor = null)
    {
        this.kind = kind;
        this.start = start;
        this.end = end;
        this.step = step;
        this.tensor = tensor;
    }

    /// <summary>Python's <c>None</c>: a new dimension of size 1.</summary>
    public static TensorIndex None => new(Kind.None);

    /// <summary>Python's <c>...</c>: as many full slices as needed.</summary>
    public static TensorIndex Ellipsis => new(Kind.Ellipsis);

    /// <summary>Python's <c>start:end:step</c>; null bounds are open, negative ones count from the end.</summary>
    public static TensorIndex Slice(long? start = null, long? end = null, long step = 1) =>
        new(Kind.Slice, start ?? 0, end ?? long.MaxValue, step);

    /// <summary>An integer index (negative counts from the end).</summary>
    public static implicit operator TensorIndex(long index) => new(Kind.Single, index);

    /// <summary>An integer index (negative counts from the end).</summary>
    public static implicit operator TensorIndex(int index) => new(Kind.Single, index);

    /// <summary>A C# index: <c>^1</c> is the last entry.</summary>
    public static implicit operator TensorIndex(Index index) => new(Kind.Single, index.IsFromEnd ? -index.Value : index.Value);

    /// <summary>A C# range: <c>1..3</c>, <c>..^1</c>, <c>..</c>.</summary>
    public static implicit operator TensorIndex(Range range)
    {
        long s = range.Start.IsFromEnd ? -range.Start.Value : range.Start.Value;
        if (range.Start.IsFromEnd && range.Start.Value == 0) s = long.MaxValue;
        long e = range.End.IsFromEnd ? (range.End.Value == 0 ? long.MaxValue : -range.End.Value) : range.End.Value;
        return new(Kind.Slice, s, e, 1);
    }

    /// <summary>An int64 index tensor (selects along its dimension) or a bool mask (first index only).</summary>
    public static implicit operator TensorIndex(Tensor index) => new(Kind.Tensor, tensor: index);

    internal bool IsTensor => kind == Kind.Tensor;

    internal static Tensor Apply(Tensor source, TensorIndex[] indices)
    {
        int consumed = 0;
        foreach (var i in indices)
            if (i.kind is Kind.Single or Kind.Slice or Kind.Tensor) consumed++;
        int ndim = source.ndim;
        Tensor current = source;
        long dim = 0;
        try
        {
            for (int k = 0; k < indices.Length; k++)
            {
                var i = indices[k];
                Tensor next;
                switch (i.kind)
                {
                    case Kind.Single:
                        next = current.select(dim, i.start);
                        break;
                    case Kind.Slice:
                        next = current.slice(dim, i.start, i.end, i.step);
                        dim++;
                        break;
                    case Kind.None:
                        next = current.unsqueeze(dim);
                        dim++;
                        break;
                    case Kind.Ellipsis:
                        dim += ndim - consumed;
                        continue;
                    default:
                        var t = i.tensor!;
                        if (t.dtype == ScalarType.Bool)
                        {
                            if (dim != 0) throw new ArgumentException("a bool mask index is supported only as the first index");
                            next = current.index(t);
                        }
                        else
                        {
                            next = t.ndim == 0 ? current.select(dim, t.ToInt64()) : current.index_select(dim, t);
                            if (t.ndim != 0) dim++;
                        }
                        break;
                }
                if (!ReferenceEquals(current, source)) current.Dispose();
                current = next;
            }
            return ReferenceEquals(current, source) ? source.alias() : current;
        }
        catch
        {
            if (!ReferenceEquals(current, source)) current.Dispose();
            throw;
        }
    }
}
