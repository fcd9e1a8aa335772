using System.Diagnostics;
using System.Reflection;

namespace MetaRL.Extensions.Tests;

/// <summary>`dotnet pack` makes the metarl tool; installed from a local feed, it runs as a user would run it.</summary>
public sealed class PackagedToolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-pack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MetaRL.sln"))) return dir.FullName;
        throw new InvalidOperationException("the tests run from outside the repository");
    }

    private (int Code, string Out) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        // A package cache of its own: the shared one may hold an older package of the same version, which install would take instead.
        start.Environment["NUGET_PACKAGES"] = Path.Combine(_dir, "packages");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"{file} {arguments} did not end");
        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }

    [Fact]
    public void The_packed_tool_installs_from_a_local_feed_and_runs_version_and_baselines()
    {
        string version = typeof(MetaRL.Host.Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        string feed = Path.Combine(_dir, "feed"), tools = Path.Combine(_dir, "tools");
        string host = Path.Combine(RepositoryRoot(), "src", "Host", "MetaRL.Host.csproj");

        var (code, output) = Run("dotnet", $"pack \"{host}\" -c Release --no-build -o \"{feed}\" -nologo");
        Assert.True(code == 0, output);
        var package = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
        Assert.Equal($"MetaRL.Cli.{version}.nupkg", Path.GetFileName(package));

        (code, output) = Run("dotnet", $"tool install MetaRL.Cli --add-source \"{feed}\" --tool-path \"{tools}\" --version {version}");
        Assert.True(code == 0, output);

        string metarl = Path.Combine(tools, "metarl");
        (code, output) = Run(metarl, "--version");
        Assert.True(code == 0, output);
        Assert.StartsWith(version, output.Trim());

        (code, output) = Run(metarl, "baselines --env bernoulli-bandit --trials 100");
        Assert.True(code == 0, output);
        Assert.Contains("Gittins", output);
        Assert.Contains("UCB1", output);
    }
}
