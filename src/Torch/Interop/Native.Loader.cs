using System.Reflection;
using System.Runtime.InteropServices;

namespace MetaRL.Torch.Interop;

/// <summary>
/// Finds libmetarl_torch and sets the process defaults before the first native call.
/// The build copies the library next to the assemblies; METARL_TORCH_NATIVE names another copy
/// (a shim compiled on a GPU machine against its own libtorch).
/// </summary>
internal static unsafe partial class Native
{
    static Native()
    {
        NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
        // One libtorch thread: on the 2-core machines two threads were slower (docs/architecture.md §6).
        var threads = Environment.GetEnvironmentVariable("METARL_TORCH_THREADS");
        mrt_set_num_threads(int.TryParse(threads, out var n) && n > 0 ? n : 1);
        FreedMemory.Keep();
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library) return 0;
        var overridePath = Environment.GetEnvironmentVariable("METARL_TORCH_NATIVE");
        if (!string.IsNullOrEmpty(overridePath)) return NativeLibrary.Load(overridePath);
        foreach (var directory in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(assembly.Location) })
        {
            if (string.IsNullOrEmpty(directory)) continue;
            var path = Path.Combine(directory, "libmetarl_torch.so");
            if (File.Exists(path)) return NativeLibrary.Load(path);
        }
        throw new DllNotFoundException(
            "libmetarl_torch.so was not found next to the application. Build MetaRL.Torch (it compiles the shim " +
            "with CMake; needs the Debian packages libtorch-dev, cmake and g++) or set METARL_TORCH_NATIVE to its path.");
    }

    /// <summary>The message the last failed call on this thread left, without libtorch's C++ backtrace.</summary>
    internal static string LastError()
    {
        var message = Marshal.PtrToStringUTF8((nint)mrt_last_error()) ?? "";
        return message.Trim();
    }
}
