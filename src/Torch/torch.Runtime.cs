using System.Runtime.InteropServices;
using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

// Process-wide settings: threads, seeds, grad mode, dispose scopes, the live-tensor counter, CUDA.
public static partial class torch
{
    /// <summary>The libtorch version the shim was compiled against, e.g. "1.13.0".</summary>
    public static unsafe string __version__ => Marshal.PtrToStringUTF8((nint)Native.mrt_version()) ?? "";

    /// <summary>Intra-op threads. The binding starts with 1 (docs/architecture.md §6) unless METARL_TORCH_THREADS says otherwise.</summary>
    public static void set_num_threads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"set_num_threads needs at least 1 thread, got {threads}");
        Check.Status(Native.mrt_set_num_threads(threads), "set_num_threads");
    }

    /// <summary>
    /// Threads of OpenBLAS's own pool, which libtorch's CPU GEMMs run on and which <see cref="set_num_threads"/>
    /// does not reach (PyTorch's does not either). Process-wide. Returns false where libtorch uses another BLAS.
    /// </summary>
    public static bool set_blas_threads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"set_blas_threads needs at least 1 thread, got {threads}");
        return Native.mrt_set_blas_threads(threads) != 0;
    }

    /// <summary>Intra-op threads in use.</summary>
    public static int get_num_threads() => Native.mrt_get_num_threads();

    /// <summary>Seeds the global generators (CPU and CUDA) that draws without an explicit generator use.</summary>
    public static void manual_seed(ulong seed) => Check.Status(Native.mrt_manual_seed(seed), "manual_seed");

    /// <summary>Opens a scope that frees every tensor created on this thread until it is disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Native tensor handles alive now; a loop that leaks nothing keeps it flat.</summary>
    public static long LiveTensorCount => Tensor.LiveCount;

    /// <summary>Turns gradient recording off on this thread until disposed (<c>with torch.no_grad():</c>).</summary>
    public static GradMode no_grad() => new(false);

    /// <summary>Turns gradient recording on on this thread until disposed.</summary>
    public static GradMode enable_grad() => new(true);

    /// <summary>Whether operations on this thread record gradients.</summary>
    public static bool is_grad_enabled() => Native.mrt_grad_is_enabled() != 0;

    /// <summary>Sets gradient recording on this thread; returns the previous setting.</summary>
    public static bool set_grad_enabled(bool enabled) => Native.mrt_grad_set_enabled(enabled ? 1 : 0) != 0;

    /// <summary>CUDA queries.</summary>
    public static class cuda
    {
        /// <summary>Whether the shim's libtorch was built with CUDA and a GPU is present.</summary>
        public static bool is_available() => Native.mrt_cuda_is_available() != 0;

        /// <summary>Number of visible CUDA devices.</summary>
        public static int device_count() => Native.mrt_cuda_device_count();

        /// <summary>Waits for the device's queued work (for timing).</summary>
        public static void synchronize(int device = -1) => Check.Status(Native.mrt_cuda_synchronize(device), "cuda.synchronize");
    }
}

/// <summary>Restores the thread's previous grad mode when disposed.</summary>
public sealed class GradMode : IDisposable
{
    private readonly bool previous;
    private bool disposed;

    internal GradMode(bool enabled) => previous = torch.set_grad_enabled(enabled);

    /// <summary>Restores the previous mode.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        torch.set_grad_enabled(previous);
    }
}
