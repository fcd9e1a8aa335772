using System.Runtime.InteropServices;
using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

/// <summary>
/// A handle to a libtorch tensor, shaped like TorchSharp's <c>torch.Tensor</c>. Dispose it (or
/// create it inside a <see cref="DisposeScope"/>); the finalizer is only a safety net.
/// Operations live in the partial files Tensor.Math, Tensor.Shape and Tensor.Autograd.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private static long live;
    private nint handle;

    internal Tensor(nint handle)
    {
        this.handle = handle;
        Interlocked.Increment(ref live);
        DisposeScope.Register(this);
    }

    /// <summary>Safety net: frees the native tensor if nobody disposed it.</summary>
    ~Tensor() => Free();

    /// <summary>Native tensor handles alive in the process (for leak tests and diagnostics).</summary>
    internal static long LiveCount => Interlocked.Read(ref live);

    internal DisposeScope? Scope { get; set; }

    internal int ScopeIndex { get; set; } = -1;

    internal nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(Tensor));

    /// <summary>Whether the native tensor was freed.</summary>
    public bool IsDisposed => handle == 0;

    /// <summary>Frees the native tensor now (views of it keep the shared storage alive).</summary>
    public void Dispose()
    {
        if (handle == 0) return;
        Scope?.Remove(this);
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        var h = Interlocked.Exchange(ref handle, 0);
        if (h == 0) return;
        Native.mrt_tensor_free(h);
        Interlocked.Decrement(ref live);
    }

    /// <summary>Keeps this tensor after the current <see cref="DisposeScope"/> ends (it joins the outer scope, if any).</summary>
    public Tensor MoveToOuterDisposeScope() => Scope is { } s ? s.MoveToOuter(this) : this;

    /// <summary>Takes this tensor out of its <see cref="DisposeScope"/>: the caller disposes it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope?.Remove(this);
        return this;
    }

    // ---- properties ----

    /// <summary>Number of dimensions.</summary>
    public int ndim => Native.mrt_tensor_ndim(Handle);

    /// <summary>Number of dimensions.</summary>
    public int dim() => ndim;

    /// <summary>The sizes of every dimension.</summary>
    public unsafe long[] shape
    {
        get
        {
            var h = Handle;
            var result = new long[Native.mrt_tensor_ndim(h)];
            fixed (long* p = result) Native.mrt_tensor_shape(h, p);
            GC.KeepAlive(this);
            return result;
        }
    }

    /// <summary>The strides of every dimension, in elements.</summary>
    public unsafe long[] stride()
    {
        var h = Handle;
        var result = new long[Native.mrt_tensor_ndim(h)];
        fixed (long* p = result) Native.mrt_tensor_strides(h, p);
        GC.KeepAlive(this);
        return result;
    }

    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public unsafe long size(int dim)
    {
        var h = Handle;
        int n = Native.mrt_tensor_ndim(h);
        int d = dim < 0 ? dim + n : dim;
        if (d < 0 || d >= n) throw new ArgumentOutOfRangeException(nameof(dim), $"dimension {dim} is out of range for a {n}-d tensor {Describe()}");
        long* sizes = stackalloc long[n];
        Native.mrt_tensor_shape(h, sizes);
        GC.KeepAlive(this);
        return sizes[d];
    }

    /// <summary>Number of elements.</summary>
    public long numel() => Native.mrt_tensor_numel(Handle);

    /// <summary>The element type.</summary>
    public ScalarType dtype => (ScalarType)Native.mrt_tensor_dtype(Handle);

    /// <summary>The device that holds the data.</summary>
    public Device device
    {
        get
        {
            var h = Handle;
            var type = (DeviceType)Native.mrt_tensor_device_type(h);
            return type == DeviceType.CPU ? Device.CPU : new Device(type, Native.mrt_tensor_device_index(h));
        }
    }

    /// <summary>Whether the elements are laid out densely in row-major order.</summary>
    public bool is_contiguous() => Native.mrt_tensor_is_contiguous(Handle) != 0;

    /// <summary>"float32[2, 3]": the dtype and the shape, for messages.</summary>
    public string Describe() => $"{dtype.PythonName()}[{string.Join(", ", shape)}]";

    // ---- reading and writing elements ----

    /// <summary>Copies the elements (row-major) into <paramref name="destination"/>, whose length must be numel().</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        CheckElementType<T>("CopyTo");
        fixed (T* p = destination)
            Check.Status(Native.mrt_tensor_copy_to(Handle, p, (long)destination.Length * sizeof(T)), "CopyTo", this);
    }

    /// <summary>Overwrites the elements (row-major) from <paramref name="source"/>, whose length must be numel().</summary>
    public unsafe void CopyFrom<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        CheckElementType<T>("CopyFrom");
        fixed (T* p = source)
            Check.Status(Native.mrt_tensor_copy_from(Handle, p, (long)source.Length * sizeof(T)), "CopyFrom", this);
    }

    /// <summary>The elements as a new array, row-major (TorchSharp's <c>data&lt;T&gt;().ToArray()</c>).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[numel()];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>
    /// The elements of a contiguous CPU tensor in place, without a copy. Valid only while this
    /// tensor is alive and not resized.
    /// </summary>
    public unsafe Span<T> AsSpan<T>() where T : unmanaged
    {
        CheckElementType<T>("AsSpan");
        var p = Native.mrt_tensor_data_ptr(Handle);
        if (p == null) throw Check.Error("AsSpan", this);
        return new Span<T>(p, checked((int)numel()));
    }

    /// <summary>The single element of a one-element tensor.</summary>
    public unsafe T item<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(bool))
        {
            long l;
            Check.Status(Native.mrt_tensor_item_long(Handle, &l), "item", this);
            if (typeof(T) == typeof(long)) return (T)(object)l;
            if (typeof(T) == typeof(int)) return (T)(object)checked((int)l);
            return (T)(object)(l != 0);
        }
        double d;
        Check.Status(Native.mrt_tensor_item(Handle, &d), "item", this);
        if (typeof(T) == typeof(double)) return (T)(object)d;
        if (typeof(T) == typeof(float)) return (T)(object)(float)d;
        throw new NotSupportedException($"item<{typeof(T).Name}> is not supported");
    }

    /// <summary>The single element as a double.</summary>
    public double ToDouble() => item<double>();

    /// <summary>The single element as a float.</summary>
    public float ToSingle() => item<float>();

    /// <summary>The single element as a long.</summary>
    public long ToInt64() => item<long>();

    /// <summary>The single element as a bool.</summary>
    public bool ToBoolean() => item<bool>();

    private void CheckElementType<T>(string op) where T : unmanaged
    {
        var want = ScalarTypes.Of<T>();
        var have = dtype;
        if (want != have)
            throw new TorchException(op, $"the tensor holds {have.PythonName()}, the buffer is {typeof(T).Name} ({want.PythonName()})", [Describe()]);
    }

    /// <summary>Up to 20 elements, e.g. "tensor(float32[2, 2]) [1, 2, 3, 4]".</summary>
    public override string ToString()
    {
        if (IsDisposed) return "tensor(<disposed>)";
        var head = $"tensor({Describe()}, {device})";
        long n = numel();
        if (n == 0) return head;
        using var cpuCopy = cpu();
        using var flat = cpuCopy.reshape(-1);
        using var head20 = flat.slice(0, 0, Math.Min(n, 20));
        using var asDouble = head20.to(ScalarType.Float64);
        var values = asDouble.ToArray<double>();
        var text = string.Join(", ", values.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));
        return $"{head} [{text}{(n > 20 ? ", …" : "")}]";
    }
}
