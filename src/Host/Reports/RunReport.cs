using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRL.Host.Training;

namespace MetaRL.Host.Reports;

/// <summary>
/// What a report shows of one run, read from its folder: the status (run.json), the config that ran (config.json,
/// saved without secrets), metrics.csv as written, and the evaluations (eval.json, study.json) where they exist.
/// </summary>
/// <param name="State">complete, incomplete or running; a run that says running but whose process is gone (killed) is incomplete.</param>
/// <param name="Description">The status in words (<see cref="RunStatus.Describe"/>), e.g. why it is incomplete and how to resume it.</param>
/// <param name="Notes">What was left out and why (an unreadable eval.json), for the command to tell the user.</param>
internal sealed record RunReport(string Name, string State, string Description, JsonNode? Status, JsonNode? Config, string Metrics,
    IReadOnlyList<JsonObject> Evaluations, IReadOnlyList<string> Notes)
{
    /// <summary>The update rows in <see cref="Metrics"/> (lines after the header).</summary>
    public int Updates => MetricsTable.Parse(Metrics).Rows;

    /// <exception cref="ArgumentException">The run has no metrics.csv, or no update in it, or its status or config is not JSON.</exception>
    public static RunReport Read(RunFolder run)
    {
        string metrics;
        try
        {
            using var stream = new FileStream(run.MetricsFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            metrics = new StreamReader(stream).ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            throw new ArgumentException($"run {run.Name} has no metrics yet ({run.MetricsFile} is missing): it has not trained an update");
        }
        if (MetricsTable.Parse(metrics).Rows == 0)
            throw new ArgumentException($"run {run.Name} has no metrics yet ({run.MetricsFile} holds no update)");
        var notes = new List<string>();
        var evaluations = new List<JsonObject>();
        foreach (var (source, file) in new[] { ("eval", run.EvaluationFile), ("study", run.StudyFile) })
        {
            if (!File.Exists(file)) continue;
            try
            {
                if (JsonNode.Parse(File.ReadAllText(file)) is JsonObject e && e["splits"] is JsonArray)
                {
                    e["source"] = source;
                    evaluations.Add(e);
                }
                else if (JsonNode.Parse(File.ReadAllText(file)) is JsonObject m && m["adaptation"] is JsonArray steps)
                    notes.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"{m["algorithm"]} on held-out tasks, mean episode return after 0…{steps.Count - 1} inner steps: " +
                        $"{string.Join(", ", steps.Select(x => ((double)x![0]!).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}" +
                        $" (random actions {(double)m["random"]![0]!:0.00})"));
                else notes.Add($"{file} is not an evaluation; left out");
            }
            catch (JsonException e)
            {
                notes.Add($"{file} is unreadable ({e.Message}); left out");
            }
        }
        var status = RunStatus.Read(run);
        bool locked = run.IsLocked();
        string state = status is null ? "unknown" : status.State == RunStatus.Running && !locked ? RunStatus.Incomplete : status.State;
        return new RunReport(run.Name, state, status?.Describe(locked) ?? "no run.json", ReadJson(run.StatusFile), ReadJson(run.ConfigFile), metrics,
            evaluations, notes);
    }

    /// <summary>A run in training, for the live dashboard: its status and config from its folder, its metrics as the dashboard holds them.</summary>
    public static RunReport Live(RunFolder run, string metrics) =>
        new(run.Name, RunStatus.Running, "training", ReadJson(run.StatusFile), ReadJson(run.ConfigFile), metrics, [], []);

    private static JsonNode? ReadJson(string file)
    {
        if (!File.Exists(file)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"'{file}' is not JSON ({e.Message})");
        }
    }

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["state"] = State,
        ["description"] = Description,
        ["status"] = Status?.DeepClone(),
        ["config"] = Config?.DeepClone(),
        ["metrics"] = Metrics,
        ["evaluations"] = new JsonArray(Evaluations.Select(e => (JsonNode)e.DeepClone()).ToArray()),
    };
}
