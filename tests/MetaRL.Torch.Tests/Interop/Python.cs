using System.Diagnostics;

namespace MetaRL.Torch.Tests.Interop;

/// <summary>
/// Runs interop.py with Debian's python3-torch. docs/architecture.md §4: /usr/bin/python3 is the interpreter
/// that has torch; the python3 first on PATH may be another one. METARL_PYTHON overrides it.
/// </summary>
internal static class Python
{
    internal static readonly string Interpreter = Environment.GetEnvironmentVariable("METARL_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    private static readonly Lazy<string?> missing = new(Probe);

    /// <summary>Why the interop tests cannot run here, or null when they can.</summary>
    internal static string? Missing => missing.Value;

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Interop", "interop.py");

    /// <summary>Runs interop.py with the arguments; fails the test with Python's output unless it exits 0.</summary>
    internal static void Run(params string[] args)
    {
        var (code, output) = Execute([Script, .. args], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"{Interpreter} interop.py {string.Join(' ', args)} exited {code}:\n{output}");
    }

    private static string? Probe()
    {
        if (!File.Exists(Interpreter))
            return $"{Interpreter} not found; install Debian's python3-torch (apt-get install python3-torch) to run the PyTorch interop tests";
        var (code, output) = Execute(["-c", "import torch"], TimeSpan.FromMinutes(1));
        return code == 0 ? null : $"{Interpreter} cannot import torch; install Debian's python3-torch to run the PyTorch interop tests ({output.Trim()})";
    }

    private static (int code, string output) Execute(string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        // One thread: the test machines have two cores and other tests may be running.
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A fact that is skipped, with the reason, where python3-torch is not installed.</summary>
public sealed class PythonTorchFactAttribute : FactAttribute
{
    public PythonTorchFactAttribute()
    {
        if (Python.Missing is { } reason) Skip = reason;
    }
}
