using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MetaRL.Host.Reports;
using MetaRL.Load;

namespace MetaRL.Host.Load;

/// <summary>
/// The <c>cluster-faults</c> scenario: a clustered training of two <c>metarl</c> processes on loopback (the seed, which
/// holds the learner, and one node) for <c>duration</c> from its first update; the node is killed (SIGKILL) a third of
/// the way in, so that most of the run shows the recovery and what follows, and the seed is stopped with SIGTERM at the
/// end. What it measures comes from the seed's metrics.csv, one row an update: the step <c>update</c> is the time
/// between consecutive updates (the gap a lost node leaves included); the gauges are the nodes up, the agent-steps a
/// second, the agents started again elsewhere, the trials lost and the updates abandoned. Phases: <c>before</c> the
/// kill, <c>recovery</c> (until the seed holds every agent again), <c>after</c>.
/// </summary>
internal sealed class ClusterFaultsLoad(int agents, TimeSpan duration, int hidden, string work, TextWriter log)
{
    private const string Run = "cluster-faults";

    public LoadResult Execute()
    {
        // The folder is this scenario's scratch: a second load with the same --report replaces it, as it replaces the report
        // (a metrics.csv left from before would be read as this run's).
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        Directory.CreateDirectory(work);
        var config = Path.Combine(work, "cluster-faults.json");
        // The load's bandits (k = 5, 100 pulls a trial), async; stopped by us, or on its own 5 minutes late.
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $$"""
            { "name": "{{Run}}", "seed": 1, "env": { "name": "bernoulli-bandit", "arms": 5 }, "episodesPerTrial": 100, "updates": 1000000,
              "maxMinutes": {{duration.TotalMinutes + 5}}, "torchThreads": 1, "model": { "hidden": {{hidden}} },
              "population": { "agents": {{agents}}, "mode": "Async", "maxPolicyLag": 2 } }
            """));
        // In a two-node cluster the split-brain resolver keeps the side with the lower address: the seed's.
        var (seedPort, nodePort) = TwoPorts();
        var runs = Path.Combine(work, "runs");
        using var seed = Child.Start(["train", config, "--runs", runs, "--cluster-port", Text(seedPort), "--min-nodes", "2"]);
        using var node = Child.Start(["node", "--seed", $"127.0.0.1:{seedPort}", "--port", Text(nodePort)]);
        var metrics = Path.Combine(runs, Run, "metrics.csv");
        log.WriteLine($"cluster-faults: seed on 127.0.0.1:{seedPort}, node on 127.0.0.1:{nodePort}; waiting for the first update");
        var first = WaitFor(metrics, rows => rows.Count > 0, TimeSpan.FromMinutes(2), seed)
            ?? throw new InvalidOperationException(seed.HasExited ? $"the seed exited {seed.ExitCode}:\n{seed.Output}" : $"the cluster made no update within 2 minutes:\n{seed.Output}");
        // The seed's clock (metrics.csv's seconds) against ours, to the file-polling interval.
        double offset = first[^1]["seconds"];
        var clock = Stopwatch.StartNew();
        double SeedSeconds() => offset + clock.Elapsed.TotalSeconds;
        var killAt = duration / 3;
        while (clock.Elapsed < killAt && !seed.HasExited) Thread.Sleep(100);
        double killed = SeedSeconds();
        if (node.HasExited) throw new InvalidOperationException($"the node exited ({node.ExitCode}) before it was to be killed:\n{node.Output}");
        node.Kill();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cluster-faults: node killed (SIGKILL) at {killed:0.0} s of the run"));
        var recovered = WaitFor(metrics, rows => rows[^1]["seconds"] > killed && rows[^1]["nodes"] == 1 && rows[^1]["agents_per_node_min"] == agents,
            duration, seed);
        double recoveredAt = recovered?[^1]["seconds"] ?? double.NaN;
        while (clock.Elapsed < duration && !seed.HasExited) Thread.Sleep(100);
        seed.Terminate();
        if (!seed.WaitForExit(TimeSpan.FromMinutes(2)))
            throw new InvalidOperationException($"the seed did not stop within 2 minutes of SIGTERM:\n{seed.Output}");
        if (seed.ExitCode is not (0 or 143)) throw new InvalidOperationException($"the seed exited {seed.ExitCode}:\n{seed.Output}");
        // What the two processes printed, for a look after the fact.
        File.WriteAllText(Path.Combine(work, "seed.log"), seed.Output);
        File.WriteAllText(Path.Combine(work, "node.log"), node.Output);
        return Result(ReadRows(metrics), offset, killed, recoveredAt);
    }

    private LoadResult Result(List<Dictionary<string, double>> rows, double start, double killed, double recovered)
    {
        double end = rows.Count > 0 ? rows[^1]["seconds"] : start;
        double recoveryEnd = double.IsNaN(recovered) ? end : recovered;
        var phases = new[]
        {
            new LoadPhase("before", Since(start, start), Since(start, killed)),
            new LoadPhase("recovery", Since(start, killed), Since(start, recoveryEnd)),
            new LoadPhase("after", Since(start, recoveryEnd), Since(start, end)),
        }.Where(p => p.Length > TimeSpan.Zero).ToArray();
        string? phase = null;
        var update = new StepStats("update", () => phase);
        var samples = new List<LoadSample>();
        for (int i = 1; i < rows.Count; i++)
        {
            var (previous, row) = (rows[i - 1], rows[i]);
            if (row["seconds"] <= start) continue;
            var at = Since(start, row["seconds"]);
            phase = phases.FirstOrDefault(p => p.Start <= at && at < p.End)?.Name ?? "after";
            var interval = TimeSpan.FromSeconds(row["seconds"] - previous["seconds"]);
            // Every gap counts, the one a lost node's abandoned update leaves most of all (skipped updates are a gauge).
            update.RecordOk(interval);
            samples.Add(new LoadSample(at.TotalSeconds, agents, 0, 0, [update.TakeInterval(interval)])
            {
                Gauges = new Dictionary<string, double>
                {
                    ["nodes"] = row["nodes"],
                    ["agent_steps_per_s"] = (row["env_steps"] - previous["env_steps"]) / Math.Max(1e-9, interval.TotalSeconds),
                    ["rehomed_agents"] = row["rehomed_agents"],
                    ["abandoned_trials"] = row["abandoned_trials"],
                    ["skipped_updates"] = row.GetValueOrDefault("skipped"),
                },
            });
        }
        var length = Since(start, end);
        return new LoadResult(Run, length, [update.Figures(length)], agents, agents, 0)
        {
            Samples = samples,
            Phases = phases.Select(p => new PhaseFigures(p.Name, p.Length, update.PhaseFigures(p) is { } f ? [f] : []) { Start = p.Start }).ToArray(),
        };
    }

    /// <summary>The agent-steps a second, the trials lost and the agents started again in each phase, for the report.</summary>
    public static IEnumerable<string> Notes(LoadResult r)
    {
        foreach (var p in r.Phases)
        {
            // As the step's figures count them: the phase holding the row's time, the last phase for the final row.
            var inPhase = r.Samples.Where(s => (r.Phases.FirstOrDefault(q => q.Start.TotalSeconds <= s.Seconds && s.Seconds < (q.Start + q.Length).TotalSeconds)
                ?? r.Phases[^1]) == p).ToArray();
            if (inPhase.Length == 0)
            {
                yield return $"{p.Phase}: no update";
                continue;
            }
            double steps = inPhase.Average(s => s.Gauges["agent_steps_per_s"]);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{p.Phase} ({p.Length.TotalSeconds:0.0} s): {inPhase.Length} updates, {steps:N0} agent-steps/s, nodes {inPhase.Min(s => s.Gauges["nodes"])}–{inPhase.Max(s => s.Gauges["nodes"])}, " +
                $"{inPhase.Sum(s => s.Gauges["abandoned_trials"]):N0} trials lost, {inPhase.Sum(s => s.Gauges["skipped_updates"]):N0} updates abandoned, " +
                $"{inPhase[^1].Gauges["rehomed_agents"]:N0} agents started again elsewhere so far");
        }
    }

    private static TimeSpan Since(double start, double seconds) => TimeSpan.FromSeconds(Math.Max(0, seconds - start));

    private static List<Dictionary<string, double>>? WaitFor(string metrics, Func<List<Dictionary<string, double>>, bool> ready, TimeSpan timeout, Child seed)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !seed.HasExited)
        {
            var rows = ReadRows(metrics);
            if (rows.Count > 0 && ready(rows)) return rows;
            Thread.Sleep(100);
        }
        return null;
    }

    /// <summary>metrics.csv's complete rows so far (read as the report reads it: <see cref="MetricsTable"/>), as column → value.</summary>
    private static List<Dictionary<string, double>> ReadRows(string metrics)
    {
        if (!File.Exists(metrics)) return [];
        string text;
        using (var stream = new FileStream(metrics, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
            text = reader.ReadToEnd();
        var table = MetricsTable.Parse(text);
        var columns = table.Names.ToDictionary(n => n, n => table[n]!);
        return Enumerable.Range(0, table.Rows).Select(i => table.Names.ToDictionary(n => n, n => columns[n][i])).ToList();
    }

    private static (int Low, int High) TwoPorts()
    {
        int a = FreePort(), b = FreePort();
        while (b == a) b = FreePort();
        return (Math.Min(a, b), Math.Max(a, b));
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A <c>metarl</c> child process (this build's metarl.dll under the same dotnet), its output kept.</summary>
    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _output = new();

        private Child(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public static Child Start(string[] args)
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var info = new ProcessStartInfo(dotnet, [Path.Combine(AppContext.BaseDirectory, "metarl.dll"), .. args])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            return new Child(Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started"));
        }

        public string Output
        {
            get { lock (_output) return _output.ToString(); }
        }

        public bool HasExited => _process.HasExited;

        public int ExitCode => _process.ExitCode;

        public bool WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout)) return false;
            _process.WaitForExit();
            return true;
        }

        /// <summary>SIGKILL: the node dies as a crashed machine would, with no goodbye to the cluster.</summary>
        public void Kill() => _process.Kill();

        /// <summary>SIGTERM: a training stops as at its budget (last checkpoint saved) and exits 143.</summary>
        public void Terminate()
        {
            if (!_process.HasExited) _ = SendSignal(_process.Id, 15);
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int SendSignal(int pid, int signal);

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null) lock (_output) _output.AppendLine(line);
        }
    }
}
