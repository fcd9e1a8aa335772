using System.Text.Json;

namespace MetaRL.Training;

/// <summary>
/// A run's status, <c>runs/&lt;name&gt;/run.json</c>: its journal id, whether it is running, complete or incomplete,
/// the last checkpointed update, the planned updates and its wall time. Written at start, at every checkpoint and at
/// the end, each time to a temporary file renamed over the old one. A run killed without a word still says
/// "running"; <see cref="Describe"/> tells that apart by the run's lock.
/// </summary>
public sealed record RunStatus
{
    public const string Running = "running";
    public const string Complete = "complete";
    public const string Incomplete = "incomplete";

    /// <summary>The run's id in the journal (new for every fresh run, so an overwritten run never meets its predecessor's rows).</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString("N");

    public string State { get; init; } = Running;

    /// <summary>The last update whose checkpoint is saved.</summary>
    public long Update { get; init; }

    public int Updates { get; init; }

    public double WallSeconds { get; init; }

    /// <summary>Why it stopped, for an incomplete run.</summary>
    public string? Reason { get; init; }

    public static RunStatus? Read(RunFolder run)
    {
        if (!File.Exists(run.StatusFile)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(run.StatusFile), TrainConfigLoader.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"'{run.StatusFile}' is not a run status ({e.Message})");
        }
    }

    public void Write(RunFolder run)
    {
        var tmp = run.StatusFile + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, TrainConfigLoader.JsonOptions));
        File.Move(tmp, run.StatusFile, overwrite: true);
    }

    /// <summary>"complete: 1000 updates", "incomplete: update 90 of 1000 (…)", "running: update 40 of 1000".</summary>
    public string Describe(bool locked) => State switch
    {
        Complete => $"complete: {Update} updates",
        Running when locked => $"running: update {Update} of {Updates}",
        Running => $"incomplete: update {Update} of {Updates} (the process was killed; metarl train --resume continues it)",
        _ => $"incomplete: update {Update} of {Updates}{(Reason is null ? "" : $" ({Reason})")}",
    };

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsComplete => State == Complete;
}
