using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

/// <summary>
/// The entry point, shaped like TorchSharp's and PyTorch's <c>torch</c>: tensor factories here,
/// runtime settings in torch.Runtime.cs, and the nested <c>nn</c>, <c>optim</c>,
/// <c>distributions</c> and <c>cuda</c> classes in their own files. <c>using static MetaRL.Torch.torch;</c>
/// makes the calls read like Python.
/// </summary>
public static partial class torch
{
    /// <summary>32-bit float, the default element type.</summary>
    public const ScalarType float32 = ScalarType.Float32;
    /// <summary>64-bit float.</summary>
    public const ScalarType float64 = ScalarType.Float64;
    /// <summary>16-bit float.</summary>
    public const ScalarType float16 = ScalarType.Float16;
    /// <summary>64-bit integer (indices, actions).</summary>
    public const ScalarType int64 = ScalarType.Int64;
    /// <summary>32-bit integer.</summary>
    public const ScalarType int32 = ScalarType.Int32;
    /// <summary>Unsigned byte.</summary>
    public const ScalarType uint8 = ScalarType.UInt8;
    /// <summary>Boolean.</summary>
    public const ScalarType @bool = ScalarType.Bool;

    private static Device Dev(Device? device) => device ?? Device.CPU;

    /// <summary>An uninitialised tensor.</summary>
    public static unsafe Tensor empty(ReadOnlySpan<long> shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false)
    {
        var d = Dev(device);
        fixed (long* s = shape) return Check.Result(Native.mrt_tensor_empty(s, shape.Length, (int)dtype, (int)d.Type, d.Index, requires_grad ? 1 : 0), "empty");
    }

    /// <summary>An uninitialised float32 tensor.</summary>
    public static Tensor empty(params ReadOnlySpan<long> shape) => empty(shape, float32);

    /// <summary>A tensor of zeros.</summary>
    public static unsafe Tensor zeros(ReadOnlySpan<long> shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false)
    {
        var d = Dev(device);
        fixed (long* s = shape) return Check.Result(Native.mrt_tensor_zeros(s, shape.Length, (int)dtype, (int)d.Type, d.Index, requires_grad ? 1 : 0), "zeros");
    }

    /// <summary>A float32 tensor of zeros.</summary>
    public static Tensor zeros(params ReadOnlySpan<long> shape) => zeros(shape, float32);

    /// <summary>A tensor of ones.</summary>
    public static unsafe Tensor ones(ReadOnlySpan<long> shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false)
    {
        var d = Dev(device);
        fixed (long* s = shape) return Check.Result(Native.mrt_tensor_ones(s, shape.Length, (int)dtype, (int)d.Type, d.Index, requires_grad ? 1 : 0), "ones");
    }

    /// <summary>A float32 tensor of ones.</summary>
    public static Tensor ones(params ReadOnlySpan<long> shape) => ones(shape, float32);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static unsafe Tensor full(ReadOnlySpan<long> shape, double value, ScalarType dtype = float32, Device? device = null, bool requires_grad = false)
    {
        var d = Dev(device);
        fixed (long* s = shape)
            return Check.Result(Native.mrt_tensor_full(s, shape.Length, value, dtype.IsIntegral() ? 1 : 0, (int)dtype, (int)d.Type, d.Index, requires_grad ? 1 : 0), "full");
    }

    /// <summary>start, start+step, … below end.</summary>
    public static Tensor arange(double start, double end, double step = 1, ScalarType dtype = int64, Device? device = null)
    {
        var d = Dev(device);
        return Check.Result(Native.mrt_tensor_arange(start, end, step, (int)dtype, (int)d.Type, d.Index), "arange");
    }

    /// <summary>0, 1, …, end−1 as int64.</summary>
    public static Tensor arange(long end) => arange(0, end);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static Tensor linspace(double start, double end, long steps, ScalarType dtype = float32, Device? device = null)
    {
        var d = Dev(device);
        return Check.Result(Native.mrt_tensor_linspace(start, end, steps, (int)dtype, (int)d.Type, d.Index), "linspace");
    }

    /// <summary>The n×n identity.</summary>
    public static Tensor eye(long n, ScalarType dtype = float32, Device? device = null)
    {
        var d = Dev(device);
        return Check.Result(Native.mrt_tensor_eye(n, (int)dtype, (int)d.Type, d.Index), "eye");
    }

    /// <summary>U[0, 1) draws (from <paramref name="generator"/>, or the global one that <see cref="manual_seed"/> seeds).</summary>
    public static unsafe Tensor rand(ReadOnlySpan<long> shape, ScalarType dtype = float32, Device? device = null, Generator? generator = null)
    {
        var d = Dev(device);
        fixed (long* s = shape)
        {
            var r = Check.Result(Native.mrt_tensor_rand(s, shape.Length, (int)dtype, (int)d.Type, d.Index, generator?.Handle ?? 0), "rand");
            GC.KeepAlive(generator);
            return r;
        }
    }

    /// <summary>float32 U[0, 1) draws.</summary>
    public static Tensor rand(params ReadOnlySpan<long> shape) => rand(shape, float32);

    /// <summary>N(0, 1) draws.</summary>
    public static unsafe Tensor randn(ReadOnlySpan<long> shape, ScalarType dtype = float32, Device? device = null, Generator? generator = null)
    {
        var d = Dev(device);
        fixed (long* s = shape)
        {
            var r = Check.Result(Native.mrt_tensor_randn(s, shape.Length, (int)dtype, (int)d.Type, d.Index, generator?.Handle ?? 0), "randn");
            GC.KeepAlive(generator);
            return r;
        }
    }

    /// <summary>float32 N(0, 1) draws.</summary>
    public static Tensor randn(params ReadOnlySpan<long> shape) => randn(shape, float32);

    /// <summary>Integers uniform in [low, high).</summary>
    public static unsafe Tensor randint(long low, long high, ReadOnlySpan<long> shape, ScalarType dtype = int64, Device? device = null, Generator? generator = null)
    {
        var d = Dev(device);
        fixed (long* s = shape)
        {
            var r = Check.Result(Native.mrt_tensor_randint(low, high, s, shape.Length, (int)dtype, (int)d.Type, d.Index, generator?.Handle ?? 0), "randint");
            GC.KeepAlive(generator);
            return r;
        }
    }

    /// <summary>A random permutation of 0…n−1.</summary>
    public static Tensor randperm(long n, ScalarType dtype = int64, Device? device = null, Generator? generator = null)
    {
        var d = Dev(device);
        var r = Check.Result(Native.mrt_tensor_randperm(n, (int)dtype, (int)d.Type, d.Index, generator?.Handle ?? 0), "randperm");
        GC.KeepAlive(generator);
        return r;
    }

    /// <summary>Zeros shaped, typed and placed like <paramref name="like"/>.</summary>
    public static Tensor zeros_like(Tensor like) => like.full_like(0);

    /// <summary>Ones shaped, typed and placed like <paramref name="like"/>.</summary>
    public static Tensor ones_like(Tensor like) => like.full_like(1);

    /// <summary>A copy of <paramref name="data"/> (row-major) with the given shape; the dtype follows T.</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, bool requires_grad = false, Device? device = null) where T : unmanaged
    {
        var dtype = ScalarTypes.Of<T>();
        long n = 1;
        foreach (var s in shape) n *= s;
        if (n != data.Length)
            throw new ArgumentException($"tensor: shape [{string.Join(", ", shape.ToArray())}] holds {n} elements but {data.Length} were given");
        var d = Dev(device);
        fixed (T* p = data)
        fixed (long* s = shape)
            return Check.Result(Native.mrt_tensor_from_data(p, s, shape.Length, (int)dtype, (int)d.Type, d.Index, requires_grad ? 1 : 0), "tensor");
    }

    /// <summary>A copy of <paramref name="data"/>; 1-D unless a shape is given.</summary>
    public static Tensor tensor<T>(T[] data, params ReadOnlySpan<long> shape) where T : unmanaged =>
        tensor<T>(data.AsSpan(), shape.Length == 0 ? [data.LongLength] : shape);

    /// <summary>A 0-d float32 tensor.</summary>
    public static Tensor tensor(float value, bool requires_grad = false) => scalar_tensor(value, float32, requires_grad: requires_grad);

    /// <summary>A 0-d float64 tensor.</summary>
    public static Tensor tensor(double value, bool requires_grad = false) => scalar_tensor(value, float64, requires_grad: requires_grad);

    /// <summary>A 0-d int64 tensor.</summary>
    public static Tensor tensor(long value) => scalar_tensor(value, int64);

    /// <summary>A 0-d tensor.</summary>
    public static Tensor scalar_tensor(double value, ScalarType dtype = float32, Device? device = null, bool requires_grad = false)
    {
        var d = Dev(device);
        var t = Check.Result(Native.mrt_tensor_scalar(value, dtype.IsIntegral() ? 1 : 0, (int)dtype, (int)d.Type, d.Index), "scalar_tensor");
        if (requires_grad) t.requires_grad_();
        return t;
    }

    /// <summary>
    /// Zero-copy: a CPU tensor that reads and writes <paramref name="array"/> in place. The array
    /// stays pinned until the last tensor sharing it is freed (the batcher writes requests straight
    /// into such a buffer, docs/architecture.md §2).
    /// </summary>
    public static unsafe Tensor from_array<T>(T[] array, params ReadOnlySpan<long> shape) where T : unmanaged
    {
        var dtype = ScalarTypes.Of<T>();
        if (shape.Length == 0) shape = [array.LongLength];
        long n = 1;
        foreach (var s in shape) n *= s;
        if (n > array.LongLength)
            throw new ArgumentException($"from_array: shape [{string.Join(", ", shape.ToArray())}] needs {n} elements but the array has {array.LongLength}");
        var pin = GCHandle.Alloc(array, GCHandleType.Pinned);
        var context = GCHandle.ToIntPtr(pin);
        nint h;
        fixed (long* s = shape)
            h = Native.mrt_tensor_from_blob((void*)pin.AddrOfPinnedObject(), s, shape.Length, (int)dtype, &ReleasePin, context);
        if (h == 0)
        {
            pin.Free();
            throw Check.Error("from_array");
        }
        return new Tensor(h);
    }

    [UnmanagedCallersOnly]
    private static void ReleasePin(nint context) => GCHandle.FromIntPtr(context).Free();

    // ---- functions over several tensors ----

    /// <summary>Joins tensors along an existing dimension.</summary>
    public static unsafe Tensor cat(ReadOnlySpan<Tensor> tensors, long dim = 0)
    {
        nint* h = stackalloc nint[tensors.Length];
        for (int i = 0; i < tensors.Length; i++) h[i] = tensors[i].Handle;
        var r = Native.mrt_tensor_cat(h, tensors.Length, dim);
        return r != 0 ? new Tensor(r) : throw Check.Error("cat", tensors.Length > 0 ? tensors[0] : null, tensors.Length > 1 ? tensors[1] : null, tensors.Length > 2 ? tensors[2] : null);
    }

    /// <summary>Joins tensors of equal shape along a new dimension.</summary>
    public static unsafe Tensor stack(ReadOnlySpan<Tensor> tensors, long dim = 0)
    {
        nint* h = stackalloc nint[tensors.Length];
        for (int i = 0; i < tensors.Length; i++) h[i] = tensors[i].Handle;
        var r = Native.mrt_tensor_stack(h, tensors.Length, dim);
        return r != 0 ? new Tensor(r) : throw Check.Error("stack", tensors.Length > 0 ? tensors[0] : null, tensors.Length > 1 ? tensors[1] : null, tensors.Length > 2 ? tensors[2] : null);
    }

    /// <summary>a where condition is true, else b (broadcasting).</summary>
    public static Tensor where(Tensor condition, Tensor a, Tensor b) =>
        Check.Result(Native.mrt_tensor_where(condition.Handle, a.Handle, b.Handle), "where", condition, a, b);

    /// <summary>Matrix product with broadcasting (torch.matmul).</summary>
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);

    /// <summary>Batched matrix product of [B, n, m] and [B, m, p].</summary>
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);

    /// <summary>Element-wise maximum.</summary>
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);

    /// <summary>Element-wise minimum.</summary>
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);

    /// <summary>Samples <paramref name="num_samples"/> indices per row of <paramref name="probs"/> (unnormalised weights).</summary>
    public static Tensor multinomial(Tensor probs, long num_samples, bool replacement = false, Generator? generator = null)
    {
        var r = Check.Result(Native.mrt_tensor_multinomial(probs.Handle, num_samples, replacement ? 1 : 0, generator?.Handle ?? 0), "multinomial", probs);
        GC.KeepAlive(generator);
        return r;
    }

    /// <summary>Element-wise N(mean, std²) draws.</summary>
    public static Tensor normal(Tensor mean, Tensor std, Generator? generator = null)
    {
        var r = Check.Result(Native.mrt_tensor_normal(mean.Handle, std.Handle, generator?.Handle ?? 0), "normal", mean, std);
        GC.KeepAlive(generator);
        return r;
    }
}
