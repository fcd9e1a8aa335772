using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MetaRL.Host.Studies;
using MetaRL.Policies.Evaluation;
using Spectre.Console;

namespace MetaRL.Host.Training;

/// <summary>Writes an <see cref="Evaluation"/> as tables (score per policy, adaptation curve) or as one JSON object.</summary>
internal static class EvalOutput
{

    public static void WriteTable(Evaluation e, TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        stdout.WriteLine($"{e.Run}: {e.Env}{(e.Schedule is null ? "" : $" under schedule {e.Schedule}")}, {e.EpisodesPerTrial} episodes a trial, policy version {e.PolicyVersion}, {e.Train.Trials} trials per split{(e.Greedy ? $", {e.Learner} acting greedily" : "")}");
        foreach (var s in e.Splits)
        {
            bool tracking = s.LearnerTracking is not null;
            var table = new Table().Border(TableBorder.Rounded).Title($"{s.Split} tasks");
            table.AddColumn("Policy");
            table.AddColumn(new TableColumn("Mean score").RightAligned());
            table.AddColumn(new TableColumn("± s.e.").RightAligned());
            if (tracking) TrackingOutput.AddColumns(table);
            table.AddRow([e.Learner, F(s.LearnerCurve.Score.Mean), F(s.LearnerCurve.Score.Stderr), .. tracking ? TrackingOutput.Cells(s.LearnerTracking) : []]);
            foreach (var b in s.Baselines)
                table.AddRow([Markup.Escape(b.Policy), F(b.Mean), F(b.StdErr), .. tracking ? TrackingOutput.Cells(b.Tracking) : []]);
            console.Write(table);
            if (tracking)
                TrackingOutput.WriteCurves(stdout, [(e.Learner, s.LearnerTracking!), .. s.Baselines.Where(b => b.Tracking is not null).Select(b => (b.Policy, b.Tracking!))]);
        }
        stdout.WriteLine($"Train tasks: {F(e.Train.Score.Mean)} ± {F(e.Train.Score.Stderr)}; train − test gap: {F(e.Gap)}");
        var curve = new Table().Border(TableBorder.Rounded).Title($"Adaptation curve: mean return of episode k of a trial ({e.Learner})");
        curve.AddColumn(new TableColumn("k").RightAligned());
        curve.AddColumn(new TableColumn("train").RightAligned());
        foreach (var s in e.Splits) curve.AddColumn(new TableColumn(s.Split).RightAligned());
        foreach (int k in EpisodesToShow(e.EpisodesPerTrial))
        {
            var cells = new List<string> { (k + 1).ToString(CultureInfo.InvariantCulture), Cell(e.Train.Episodes[k]) };
            cells.AddRange(e.Splits.Select(s => Cell(s.LearnerCurve.Episodes[k])));
            curve.AddRow(cells.ToArray());
        }
        console.Write(curve);
        if (e.FromScratch is { } scratch) WriteFromScratch(scratch, e.Learner, stdout);
    }

    private static void WriteFromScratch(FromScratchResult r, string learner, TextWriter stdout)
    {
        var s = r.Settings;
        int reached = r.Tasks.Count(t => t.Steps is not null);
        stdout.WriteLine($"From scratch: PPO on one held-out task at a time (a fresh GRU-{s.Hidden}, {s.TrialsPerUpdate} trials an update, at most {s.MaxUpdates} updates = " +
            $"{r.Budget:N0} steps), until an update's trials score {learner}'s mean on that task ({s.TargetTrials} trials):");
        for (int i = 0; i < r.Tasks.Count; i++)
            stdout.WriteLine($"  task {i + 1}: target {F(r.Tasks[i].Target)}, {(r.Tasks[i].Steps is long n ? $"{n:N0} steps" : $"not reached (best {F(r.Tasks[i].Best)})")}");
        stdout.WriteLine(r.MedianSteps is double m
            ? $"  median {m:N0} env steps from scratch ({reached} of {r.Tasks.Count} tasks reached) vs {r.TrialSteps:N0} in context (one trial): {r.Ratio:N0}× the steps"
            : $"  median: more than {r.Budget:N0} env steps from scratch (only {reached} of {r.Tasks.Count} tasks reached) vs {r.TrialSteps:N0} in context: more than {r.Budget / (double)r.TrialSteps:N0}× the steps");
    }

    /// <summary>Every episode of a short trial; for a long one (bandit pulls) a log-spaced selection.</summary>
    public static IEnumerable<int> EpisodesToShow(int episodes)
    {
        if (episodes <= 12) return Enumerable.Range(0, episodes);
        int[] marks = [1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 500, 1000];
        return marks.Where(m => m < episodes).Append(episodes).Select(m => m - 1).Distinct();
    }

    public static void WriteJson(Evaluation e, TextWriter stdout)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("run", e.Run);
            w.WriteString("env", e.Env);
            w.WriteNumber("episodesPerTrial", e.EpisodesPerTrial);
            w.WriteNumber("policyVersion", e.PolicyVersion);
            w.WriteNumber("trials", e.Train.Trials);
            w.WriteBoolean("greedy", e.Greedy);
            if (e.Schedule is not null) w.WriteString("schedule", e.Schedule);
            w.WriteNumber("gap", e.Gap);
            w.WritePropertyName("train");
            WriteCurve(w, e.Train);
            if (e.FromScratch is { } scratch)
            {
                w.WriteStartObject("fromScratch");
                w.WriteNumber("trialsPerUpdate", scratch.Settings.TrialsPerUpdate);
                w.WriteNumber("maxUpdates", scratch.Settings.MaxUpdates);
                w.WriteNumber("hidden", scratch.Settings.Hidden);
                w.WriteNumber("budgetSteps", scratch.Budget);
                w.WriteNumber("inContextSteps", scratch.TrialSteps);
                if (scratch.MedianSteps is double m) w.WriteNumber("medianSteps", m);
                else w.WriteNull("medianSteps");
                if (scratch.Ratio is double ratio) w.WriteNumber("ratio", ratio);
                else w.WriteNull("ratio");
                w.WriteStartArray("tasks");
                foreach (var (target, steps, best) in scratch.Tasks)
                {
                    w.WriteStartObject();
                    w.WriteNumber("target", target);
                    w.WriteNumber("best", best);
                    if (steps is long n) w.WriteNumber("steps", n);
                    else w.WriteNull("steps");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteStartArray("splits");
            foreach (var s in e.Splits)
            {
                w.WriteStartObject();
                w.WriteString("split", s.Split);
                w.WriteStartArray("results");
                Result(w, e.Learner, s.LearnerCurve.Score.Mean, s.LearnerCurve.Score.Stderr, null, s.LearnerTracking, s.LearnerCurve.Episodes.Select(k => (k.Mean, k.Stderr)).ToArray());
                foreach (var b in s.Baselines) Result(w, b.Policy, b.Mean, b.StdErr, b.Settings, b.Tracking, b.Episodes);
                w.WriteEndArray();
                w.WritePropertyName("rl2");
                WriteCurve(w, s.LearnerCurve);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <param name="episodes">The policy's adaptation curve on the split: per episode of a trial, its mean return and standard error.</param>
    private static void Result(Utf8JsonWriter w, string policy, double mean, double stderr, string? settings, Environments.NonStationary.TrackingSummary? tracking,
        IReadOnlyList<(double Mean, double StdErr)>? episodes)
    {
        w.WriteStartObject();
        w.WriteString("policy", policy);
        w.WriteNumber("mean", mean);
        w.WriteNumber("stderr", stderr);
        if (settings is not null) w.WriteString("settings", settings);
        if (tracking is not null) TrackingOutput.WriteJson(w, tracking);
        if (episodes is not null) WriteEpisodes(w, episodes);
        w.WriteEndObject();
    }

    private static void WriteEpisodes(Utf8JsonWriter w, IEnumerable<(double Mean, double StdErr)> episodes)
    {
        w.WriteStartArray("episodes");
        foreach (var (m, se) in episodes)
        {
            w.WriteStartArray();
            w.WriteNumberValue(m);
            w.WriteNumberValue(se);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static void WriteCurve(Utf8JsonWriter w, AdaptationCurve c)
    {
        w.WriteStartObject();
        w.WriteNumber("mean", c.Score.Mean);
        w.WriteNumber("stderr", c.Score.Stderr);
        WriteEpisodes(w, c.Episodes.Select(k => (k.Mean, k.Stderr)));
        w.WriteEndObject();
    }

    private static string Cell(MeanStderr m) => $"{F(m.Mean, 3)} ± {F(m.Stderr, 3)}";

    private static string F(double v, int decimals = 2) => v.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
