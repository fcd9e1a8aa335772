using System.Globalization;
using MetaRL.Actors.Learning;
using MetaRL.Environments.Tasks;

namespace MetaRL.Training;

/// <summary>The best classical baseline (oracles aside) on the tasks the run is evaluated on during training.</summary>
internal sealed record SkillReference(string Name, double Mean)
{
    /// <summary>
    /// The best non-oracle baseline on <c>eval.trials</c> test tasks with seed <c>eval.seed</c>: the tasks
    /// <see cref="HeldOutEvaluator"/> scores the learner on. Null when the family declares no baselines (random actions
    /// are a floor, not a skill to reach).
    /// </summary>
    public static SkillReference? For(TrainConfig config, TrainingSetup setup)
    {
        if (!setup.Family.HasBaselines) return null;
        var best = EvalRun.Baselines(HeldOutEvaluator.TasksOf(config), setup, TaskSplit.Test, config.Eval.Trials, config.Eval.Seed).Rows
            .Where(r => !r.Policy.Contains("oracle", StringComparison.OrdinalIgnoreCase)).MaxBy(r => r.Mean);
        return best is null ? null : new SkillReference(best.Policy, best.Mean);
    }
}

/// <summary>
/// Says when the held-out score first reaches each of <see cref="Fractions"/> of the best baseline's, in training
/// seconds (the run's clock, which leaves evaluations out) and updates: the time-to-skill a user wants to know.
/// </summary>
internal sealed class SkillMilestones(SkillReference reference)
{
    public SkillReference Reference => reference;

    public static readonly double[] Fractions = [0.90, 0.95, 0.97, 1.00];

    private int _next;

    /// <summary>A line for each fraction this update's evaluation reached first (none without an evaluation).</summary>
    public IReadOnlyList<string> Reached(UpdateCompleted u)
    {
        if (u.Eval is not { } e) return [];
        var lines = new List<string>();
        while (_next < Fractions.Length && e.Mean >= Fractions[_next] * reference.Mean)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"reached {Fractions[_next] * 100:0} % of {reference.Name} ({e.Mean:0.00} ± {e.Stderr:0.00} held-out against {reference.Mean:0.00}) at {u.Counters.Seconds:0} s of training, update {u.Version}"));
            _next++;
        }
        return lines;
    }

    /// <summary>The score as a share of the reference's, for the progress line.</summary>
    public string Share(double mean) => string.Create(CultureInfo.InvariantCulture, $"{100 * mean / reference.Mean:0.0} % of {reference.Name}");
}
