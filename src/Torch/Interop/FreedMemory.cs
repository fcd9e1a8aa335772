using System.Runtime.InteropServices;

namespace MetaRL.Torch.Interop;

/// <summary>
/// Has glibc keep the memory libtorch frees for the next tensor instead of handing it back to the kernel.
/// libtorch's CPU allocator takes every tensor from malloc; a PPO minibatch's activations are megabytes each, and
/// under glibc's defaults in a multi-threaded process they were unmapped (or their heap trimmed) when freed and
/// faulted in again page by page when allocated: page faults and their zeroing were a fifth of the learner's time,
/// and a GRU-64 PPO update took 0.36 s against 0.23 s with freed memory kept (bench/time-to-skill.sh's notes).
/// The cost is a process that keeps its peak tensor memory. METARL_KEEP_FREED_MEMORY=0 leaves glibc's defaults.
/// </summary>
internal static partial class FreedMemory
{
    // mallopt(3) parameters.
    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    /// <summary>glibc's largest mmap threshold on 64-bit (HEAP_MAX_SIZE / 2): blocks below it come from the heap.</summary>
    private const int LargestMmapThreshold = 32 * 1024 * 1024;

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);

    /// <summary>Applies the setting where the C library is glibc; elsewhere (musl, macOS) does nothing.</summary>
    public static void Keep()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("METARL_KEEP_FREED_MEMORY") == "0") return;
        try
        {
            Mallopt(MmapThreshold, LargestMmapThreshold);
            Mallopt(TrimThreshold, int.MaxValue);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: its allocator has its own policy.
        }
    }
}
