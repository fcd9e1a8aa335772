using System.Globalization;
using System.Text.Json;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.NonStationary;

/// <summary>
/// A non-stationary schedule as configs and command lines write it (<c>env.schedule</c>, <c>--schedule</c>):
/// <c>switch-every:K</c>, <c>hazard:H</c>, <c>drift:SIGMA</c> or <c>scripted:FILE.json</c>, combined with <c>+</c>
/// (<c>switch-every:50+drift:0.01</c>). <see cref="Parse"/> checks the text (and reads a scripted file) once;
/// <see cref="Build{TTask}"/> makes a fresh schedule for each env, since schedules keep their place in a trial.
/// </summary>
public sealed record ScheduleSpec
{
    /// <summary>The forms, for error messages and help.</summary>
    public const string Forms = "switch-every:K (a fresh task every K steps, K >= 1), hazard:H (a fresh task before each step with probability H, 0 < H <= 1), " +
        "drift:SIGMA (arm means or goals move by Normal(0, SIGMA) each step, SIGMA > 0), scripted:FILE.json ({\"changes\": [{\"step\": 50}, {\"step\": 120, \"task\": {…}}]}); " +
        "combine with +, e.g. switch-every:50+drift:0.01";

    private ScheduleSpec(string text, int? switchEvery, double? hazard, double? drift, string? scriptedPath, IReadOnlyList<(long Step, JsonElement? Task)>? scripted)
    {
        Text = text;
        SwitchEvery = switchEvery;
        Hazard = hazard;
        Drift = drift;
        ScriptedPath = scriptedPath;
        Scripted = scripted;
    }

    /// <summary>The text it was parsed from, tidied (no spaces, a scripted file's full path), as written back into a run's config.</summary>
    public string Text { get; }

    public int? SwitchEvery { get; }
    public double? Hazard { get; }
    public double? Drift { get; }
    public string? ScriptedPath { get; }

    /// <summary>The scripted file's changes: the step and, where the file names one, the task (as JSON, read per task type by <see cref="Build{TTask}"/>).</summary>
    public IReadOnlyList<(long Step, JsonElement? Task)>? Scripted { get; }

    public override string ToString() => Text;

    /// <summary>
    /// Parses <paramref name="text"/>; a scripted file's path is taken relative to <paramref name="baseDirectory"/>
    /// (default: the working directory). Throws a <see cref="ScheduleFormatException"/> whose message says what is wrong and lists <see cref="Forms"/>.
    /// </summary>
    public static ScheduleSpec Parse(string text, string? baseDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(text)) throw Bad(text, "it is empty");
        int? every = null;
        double? hazard = null, drift = null;
        string? path = null;
        IReadOnlyList<(long, JsonElement?)>? scripted = null;
        var seen = new HashSet<string>();
        var normalized = new List<string>();
        foreach (var raw in text.Split('+'))
        {
            var part = raw.Trim();
            int colon = part.IndexOf(':');
            if (colon <= 0 || colon == part.Length - 1) throw Bad(text, $"'{part}' is not of the form name:value");
            string name = part[..colon].Trim().ToLowerInvariant(), value = part[(colon + 1)..].Trim();
            if (!seen.Add(name)) throw Bad(text, $"{name} is given twice");
            switch (name)
            {
                case "switch-every":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k < 1)
                        throw Bad(text, $"switch-every takes a whole number of steps >= 1, got '{value}'");
                    every = k;
                    break;
                case "hazard":
                    if (!TryNumber(value, out double h) || !(h > 0 && h <= 1)) throw Bad(text, $"hazard takes a probability in (0, 1], got '{value}'");
                    hazard = h;
                    break;
                case "drift":
                    if (!TryNumber(value, out double s) || !(s > 0) || !double.IsFinite(s)) throw Bad(text, $"drift takes a finite scale > 0, got '{value}'");
                    drift = s;
                    break;
                case "scripted":
                    path = Path.GetFullPath(value, baseDirectory ?? Directory.GetCurrentDirectory());
                    scripted = ReadScript(text, value, path);
                    break;
                default:
                    throw Bad(text, $"'{name}' is not a schedule");
            }
            normalized.Add(name == "scripted" ? $"scripted:{path}" : $"{name}:{value}");
        }
        return new ScheduleSpec(string.Join('+', normalized), every, hazard, drift, path, scripted);
    }

    /// <summary>
    /// A fresh schedule over <paramref name="distribution"/> (where switches draw their new tasks), with
    /// <paramref name="drift"/> saying how this task type drifts. Throws an <see cref="ArgumentException"/> when the
    /// family cannot take a part (a drift without <paramref name="drift"/>, a scripted task that is not a <typeparamref name="TTask"/>).
    /// </summary>
    public ITaskSchedule<TTask> Build<TTask>(ITaskDistribution<TTask> distribution, ITaskDrift<TTask>? drift, string family)
    {
        var parts = new List<ITaskSchedule<TTask>>();
        if (Scripted is not null) parts.Add(new ScriptedChanges<TTask>(Scripted.Select((c, i) => ScriptedTask<TTask>(c, i, family)), distribution));
        if (SwitchEvery is int k) parts.Add(new SwitchEvery<TTask>(k, distribution));
        if (Hazard is double h) parts.Add(new SwitchWithHazard<TTask>(h, distribution));
        if (Drift is double sigma)
        {
            if (drift is null) throw new ArgumentException($"schedule '{Text}': drift does not apply to {family}, whose tasks have no drift; switch-every, hazard and scripted do");
            parts.Add(new GaussianDrift<TTask>(sigma, drift));
        }
        return parts.Count == 1 ? parts[0] : new CombinedSchedule<TTask>(parts);
    }

    private (long, bool, TTask) ScriptedTask<TTask>((long Step, JsonElement? Task) change, int index, string family)
    {
        if (change.Task is not JsonElement json) return (change.Step, false, default!);
        try
        {
            var task = json.Deserialize<TTask>(JsonOptions);
            if (task is null) throw new JsonException("the task is null");
            return (change.Step, true, task);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new ArgumentException($"schedule '{Text}': change {index + 1} of {ScriptedPath} has a task that is not one of {family}'s ({typeof(TTask).Name}): {e.Message}");
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private static IReadOnlyList<(long, JsonElement?)> ReadScript(string text, string given, string path)
    {
        if (!File.Exists(path)) throw Bad(text, $"scripted file '{given}' does not exist");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (!doc.RootElement.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
                throw new JsonException("it has no \"changes\" array");
            var list = new List<(long, JsonElement?)>();
            var steps = new HashSet<long>();
            foreach (var c in changes.EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.Object || !c.TryGetProperty("step", out var step) || !step.TryGetInt64(out long t) || t < 0)
                    throw new JsonException($"change {list.Count + 1} has no \"step\" that is a whole number >= 0");
                if (!steps.Add(t)) throw new JsonException($"two changes at step {t}");
                list.Add((t, c.TryGetProperty("task", out var task) ? task.Clone() : null));
            }
            if (list.Count == 0) throw new JsonException("its \"changes\" array is empty");
            return list;
        }
        catch (JsonException e)
        {
            throw Bad(text, $"scripted file '{given}' is not a script: {e.Message.Split('\n')[0]}");
        }
    }

    private static bool TryNumber(string s, out double v) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v);

    private static ScheduleFormatException Bad(string text, string why) => new(text, why);
}

/// <summary>A schedule's text that does not parse: <see cref="Reason"/> says why; the message adds the allowed forms.</summary>
public sealed class ScheduleFormatException(string text, string reason)
    : FormatException($"'{text}' is not a schedule: {reason}; allowed: {ScheduleSpec.Forms}")
{
    public string Reason { get; } = reason;
}
