namespace MetaRL.Training;

/// <summary>
/// A run's folder, <c>runs/&lt;name&gt;/</c>: the config it ran with, its status, the metrics CSV, the journal and
/// checkpoints (<c>run.db</c> with SQLite), the exported model, the log and the evaluation. Creating one never
/// overwrites an earlier run unless asked to, and one process at a time trains in it (<see cref="Lock"/>).
/// </summary>
public sealed class RunFolder
{
    public RunFolder(string path) => Path = System.IO.Path.GetFullPath(path.TrimEnd('/', System.IO.Path.DirectorySeparatorChar) is { Length: > 0 } p ? p : path);

    public string Path { get; }

    /// <summary>The run's name: its folder's name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");
    public string StatusFile => System.IO.Path.Combine(Path, "run.json");
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.csv");
    public string ModelFile => System.IO.Path.Combine(Path, "model.pt");
    public string DatabaseFile => System.IO.Path.Combine(Path, "run.db");
    public string LogFile => System.IO.Path.Combine(Path, "log.txt");
    public string EvaluationFile => System.IO.Path.Combine(Path, "eval.json");

    /// <summary>The result of <c>metarl study</c>: the evaluation on held-out non-stationary streams beside the tracking baselines.</summary>
    public string StudyFile => System.IO.Path.Combine(Path, "study.json");
    private string LockFile => System.IO.Path.Combine(Path, "train.lock");
    private string PidFile => System.IO.Path.Combine(Path, "train.pid");

    /// <summary>Whether a run has been started here (its config or status is written).</summary>
    public bool HoldsRun => File.Exists(ConfigFile) || File.Exists(StatusFile);

    /// <summary>The folder of run <paramref name="name"/> under <paramref name="runsDir"/>, made if missing; refuses a runs folder that is a file.</summary>
    public static RunFolder For(string runsDir, string name)
    {
        if (File.Exists(runsDir)) throw new ArgumentException($"--runs '{runsDir}' is a file; it should name the folder that holds run folders");
        var folder = new RunFolder(System.IO.Path.Combine(runsDir, name));
        Directory.CreateDirectory(folder.Path);
        return folder;
    }

    /// <summary>An existing run, by folder path or by name under <paramref name="runsDir"/>.</summary>
    public static RunFolder Open(string pathOrName, string runsDir)
    {
        if (File.Exists(runsDir)) throw new ArgumentException($"--runs '{runsDir}' is a file; it should name the folder that holds run folders");
        foreach (var candidate in new[] { pathOrName, System.IO.Path.Combine(runsDir, pathOrName) })
        {
            var folder = new RunFolder(candidate);
            if (File.Exists(folder.ConfigFile)) return folder;
        }
        throw new ArgumentException($"no run at '{pathOrName}' (looked for config.json there and under '{runsDir}/')");
    }

    /// <summary>
    /// Takes the run's lock for as long as the result is not disposed: an exclusive lock on <c>train.lock</c>, which
    /// the OS lets go when the process dies, however it dies, so a killed run never leaves a stale lock. The holder's
    /// process id is written beside it for the message another process gets.
    /// </summary>
    /// <exception cref="RunInUseException">Another process holds it.</exception>
    public IDisposable Lock()
    {
        FileStream held;
        try
        {
            held = new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            string pid = File.Exists(PidFile) ? File.ReadAllText(PidFile).Trim() : "?";
            throw new RunInUseException($"run '{Name}' is in use by process {pid} (its folder {Path} is locked); wait for it or stop it first");
        }
        File.WriteAllText(PidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return held;
    }

    /// <summary>Whether a process holds the run's lock now (a run that says "running" but is not locked was killed).</summary>
    public bool IsLocked()
    {
        if (!File.Exists(LockFile)) return false;
        try
        {
            using var probe = new FileStream(LockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Removes everything of the old run (for <c>--overwrite</c>), keeping only the lock this process holds.</summary>
    public void Clear()
    {
        foreach (var entry in new DirectoryInfo(Path).EnumerateFileSystemInfos())
        {
            if (entry.FullName == LockFile || entry.FullName == PidFile) continue;
            if (entry is DirectoryInfo d) d.Delete(recursive: true);
            else entry.Delete();
        }
    }
}

/// <summary>Another process is training in this run folder.</summary>
public sealed class RunInUseException(string message) : Exception(message);
