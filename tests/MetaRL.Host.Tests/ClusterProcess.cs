using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MetaRL.Host.Tests;

/// <summary>A <c>metarl</c> child process whose output lines are kept as they come, for tests that start and kill cluster nodes.</summary>
internal sealed class ClusterProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private ClusterProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_out) _out.AppendLine(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_err) _err.AppendLine(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static ClusterProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "metarl.dll"), .. args])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment.Remove("METARL_CLUSTER_SECRET");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return new ClusterProcess(Process.Start(info)!);
    }

    public string Out
    {
        get { lock (_out) return _out.ToString(); }
    }

    public string Err
    {
        get { lock (_err) return _err.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to end; its exit code, or fails the test with its output.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        Assert.True(_process.WaitForExit(timeout), $"metarl did not finish within {timeout.TotalSeconds:0} s\nstdout:\n{Out}\nstderr:\n{Err}");
        _process.WaitForExit(); // the last lines of output
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end and fails the test, with its output, unless it exited with 0.</summary>
    public void ExitsCleanly(TimeSpan timeout)
    {
        int code = WaitForExit(timeout);
        Assert.True(code == 0, $"metarl exited with {code}\nstdout:\n{Out}\nstderr:\n{Err}");
    }

    /// <summary>Waits until stdout holds a line containing <paramref name="text"/>; returns that line.</summary>
    public string WaitForLine(string text, TimeSpan timeout)
    {
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < timeout; Thread.Sleep(50))
        {
            if (Out.Split('\n').FirstOrDefault(l => l.Contains(text)) is { } line) return line;
            Assert.False(_process.HasExited && !Out.Contains(text), $"metarl ended (exit {(_process.HasExited ? _process.ExitCode : 0)}) before printing '{text}'\nstdout:\n{Out}\nstderr:\n{Err}");
        }
        Assert.Fail($"no line with '{text}' within {timeout.TotalSeconds:0} s\nstdout:\n{Out}\nstderr:\n{Err}");
        return "";
    }

    /// <summary>SIGKILL: no handler runs, the node vanishes from the cluster as a crashed machine would.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }

    /// <summary>A port free on loopback now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
