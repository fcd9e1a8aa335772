using System.Diagnostics;
using MetaRL.Torch;
using MetaRL.Torch.Modules;

namespace MetaRL.Host.Tests;

/// <summary>
/// Durable runs end to end, in child processes: a lockstep run killed with SIGKILL at random moments and resumed
/// each time ends bit-identical to the same run left alone, with one metrics row per update.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Config = """
        { "name": "NAME", "seed": 5, "env": { "name": "bernoulli-bandit", "arms": 3 }, "episodesPerTrial": 10, "updates": 30,
          "checkpointEvery": 4, "population": { "agents": 64 }, "model": { "hidden": 16 } }
        """;

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "metarl.dll"), .. args])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        return Process.Start(info)!;
    }

    private static (int Code, string Out, string Err) RunToEnd(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "metarl did not finish within 3 minutes");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private string ConfigFor(string name)
    {
        var path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, Config.Replace("NAME", name));
        return path;
    }

    /// <summary>The model's tensors as read by our <c>torch.load</c>: name → (shape, values).</summary>
    private static Dictionary<string, (long[] Shape, float[] Values)> Tensors(string run)
    {
        var tree = (IReadOnlyDictionary<object, object?>)torch.load(Path.Combine(run, "model.pt"))!;
        using var state = StateDict.From(tree["model"]);
        return state.ToDictionary(kv => kv.Key, kv =>
        {
            var values = new float[kv.Value.numel()];
            kv.Value.CopyTo(values);
            return (kv.Value.shape.ToArray(), values);
        });
    }

    private static Dictionary<string, float[]> Weights(string run) => Tensors(run).ToDictionary(kv => kv.Key, kv => kv.Value.Values);

    [Fact]
    public void A_run_killed_at_five_random_moments_and_resumed_each_time_ends_bit_identical_to_one_left_alone()
    {
        var runs = Path.Combine(_dir, "runs");
        var (code, _, err) = RunToEnd("train", ConfigFor("alone"), "--runs", runs);
        Assert.True(code == 0, err);

        var rng = new Random(17);
        var killedAt = new List<string>();
        var status = Path.Combine(runs, "killed", "run.json");
        for (int kill = 0; kill < 5; kill++)
        {
            using var p = kill == 0 ? Start("train", ConfigFor("killed"), "--runs", runs) : Start("train", "--resume", "killed", "--runs", runs);
            // A random moment of the process's life, once the run exists (its status is written before anything else of it).
            var clock = Stopwatch.StartNew();
            while (!File.Exists(status) && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(10);
            Thread.Sleep(rng.Next(0, 2500));
            int rows = File.Exists(Path.Combine(runs, "killed", "metrics.csv")) ? File.ReadAllLines(Path.Combine(runs, "killed", "metrics.csv")).Length - 1 : -1;
            p.Kill(); // SIGKILL: no handler runs, nothing is flushed
            p.WaitForExit();
            killedAt.Add(p.ExitCode == 0 ? "after it ended" : $"at {rows} rows");
        }
        (code, var stdout, err) = RunToEnd("train", "--resume", "killed", "--runs", runs);
        Assert.True(code == 0, $"{err} (killed {string.Join(", ", killedAt)})");
        Assert.True(stdout.Contains("stopped: ran 30 updates") || stdout.Contains("is complete"), stdout);

        var alone = Weights(Path.Combine(runs, "alone"));
        var resumed = Weights(Path.Combine(runs, "killed"));
        Assert.Equal(alone.Keys, resumed.Keys);
        foreach (var name in alone.Keys)
            Assert.True(alone[name].AsSpan().SequenceEqual(resumed[name]), $"{name} differs after kills {string.Join(", ", killedAt)}");
        // The negative control: another seed really gives other weights, so equality above is not vacuous.
        (code, _, err) = RunToEnd("train", ConfigFor("other"), "--runs", runs, "--set", "seed=6");
        Assert.True(code == 0, err);
        Assert.False(Weights(Path.Combine(runs, "other")).All(kv => kv.Value.AsSpan().SequenceEqual(alone[kv.Key])));

        var updates = File.ReadAllLines(Path.Combine(runs, "killed", "metrics.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0])).ToArray();
        Assert.Equal(Enumerable.Range(1, 30), updates);
        // The counters continue across resumes: the last row's env steps are the uninterrupted run's.
        Assert.Equal(File.ReadAllLines(Path.Combine(runs, "alone", "metrics.csv"))[^1].Split(',')[2],
            File.ReadAllLines(Path.Combine(runs, "killed", "metrics.csv"))[^1].Split(',')[2]);
    }

    [Fact]
    public void Python_s_torch_load_reads_the_model_and_its_tensors_equal_ours()
    {
        var runs = Path.Combine(_dir, "runs");
        var (code, _, err) = RunToEnd("train", ConfigFor("py"), "--runs", runs, "--set", "updates=2");
        Assert.True(code == 0, err);
        var model = Path.Combine(runs, "py", "model.pt");
        var script = """
            import hashlib, sys, torch
            ckpt = torch.load(sys.argv[1])
            for name, t in ckpt["model"].items():
                print(name, list(t.shape), hashlib.sha256(t.contiguous().numpy().tobytes()).hexdigest())
            print("version", ckpt["metarl"]["policy_version"])
            """;
        var python = new ProcessStartInfo("/usr/bin/python3", ["-c", script, model]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(python)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr);
        var ours = Tensors(Path.Combine(runs, "py")).Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.Shape)}] " +
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(kv.Value.Values.AsSpan()))));
        Assert.Equal([.. ours, "version 2"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
