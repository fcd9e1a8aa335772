namespace MetaRL.Host.Training;

/// <summary>
/// A run's folder, <c>runs/&lt;name&gt;/</c>: the config it ran with, the metrics CSV, the weights, the log and
/// the evaluation. Creating one never overwrites an earlier run unless asked to.
/// </summary>
public sealed class RunFolder
{
    public RunFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }
    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.csv");
    public string WeightsFile => System.IO.Path.Combine(Path, "weights.bin");
    public string LogFile => System.IO.Path.Combine(Path, "log.txt");
    public string EvaluationFile => System.IO.Path.Combine(Path, "eval.json");

    /// <summary>Makes the folder for a new run; refuses an existing run's folder unless <paramref name="overwrite"/>.</summary>
    public static RunFolder Create(string runsDir, string name, bool overwrite)
    {
        var folder = new RunFolder(System.IO.Path.Combine(runsDir, name));
        if (File.Exists(folder.ConfigFile) && !overwrite)
            throw new ArgumentException($"run folder '{folder.Path}' already holds a run; pick another name (--set name=…) or pass --overwrite");
        Directory.CreateDirectory(folder.Path);
        return folder;
    }

    /// <summary>An existing run, by folder path or by name under <paramref name="runsDir"/>.</summary>
    public static RunFolder Open(string pathOrName, string runsDir)
    {
        foreach (var candidate in new[] { pathOrName, System.IO.Path.Combine(runsDir, pathOrName) })
        {
            var folder = new RunFolder(candidate);
            if (File.Exists(folder.ConfigFile)) return folder;
        }
        throw new ArgumentException($"no run at '{pathOrName}' (looked for config.json there and under '{runsDir}/')");
    }
}
