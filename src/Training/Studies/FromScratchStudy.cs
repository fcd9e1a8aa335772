using MetaRL.Environments;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.Tasks;
using MetaRL.Training;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;
using MetaRL.Policies.Evaluation;

namespace MetaRL.Training.Studies;

/// <summary>How <c>metarl study --from-scratch</c> trains its single-task learners.</summary>
/// <param name="Tasks">Held-out tasks (the first of the test split's stream, as the evaluation meets them).</param>
/// <param name="TrialsPerUpdate">Trials of the one task per PPO update.</param>
/// <param name="MaxUpdates">Updates before a task counts as not reached.</param>
/// <param name="Hidden">GRU width of the fresh policy: small, as a single task needs.</param>
/// <param name="TargetTrials">Trials of the in-context learner on the task that set its target score.</param>
internal sealed record FromScratchSettings(int Tasks = 10, int TrialsPerUpdate = 32, int MaxUpdates = 100, int Hidden = 32, int TargetTrials = 32);

/// <summary>
/// The result: per task, the in-context learner's score (the target), the env steps PPO from scratch needed to
/// reach it (null: not within the budget) and the best mean score its updates reached; the median over tasks (the unreached counting as longest; null when half
/// or more were not reached), the steps the in-context learner took (one trial), and their ratio.
/// </summary>
internal sealed record FromScratchResult(FromScratchSettings Settings, IReadOnlyList<(double Target, long? Steps, double Best)> Tasks, double? MedianSteps, int TrialSteps)
{
    /// <summary>Steps from scratch ÷ steps in context.</summary>
    public double? Ratio => MedianSteps / TrialSteps;

    /// <summary>The env steps a task not reached was given: every update of its budget.</summary>
    public long Budget => (long)Settings.MaxUpdates * Settings.TrialsPerUpdate * TrialSteps;
}

/// <summary>Runs <see cref="FromScratch"/> on held-out tasks against a trained in-context learner (<c>metarl study --from-scratch</c>).</summary>
internal static class FromScratchStudy
{
    public static FromScratchResult Run(TrainConfig config, TrainingSetup setup, IInContextPolicy learner, int seed, FromScratchSettings settings) =>
        setup.Family.WithDiscreteActions(new StudyOf(config, setup, learner, seed, settings));

    private sealed class StudyOf(TrainConfig config, TrainingSetup setup, IInContextPolicy learner, int seed, FromScratchSettings settings)
        : IDiscreteFamilyCode<FromScratchResult>
    {
        public FromScratchResult Run<TObs, TTask>(EnvFamily<TObs, int, TTask> family)
        {
            var options = config.Env.ToOptions(TaskSplit.Test);
            var tasks = BaselineEvaluator.Tasks(family.CreateDistribution(options), settings.Tasks, seed);
            var small = setup with { Model = new ModelOptions { Hidden = settings.Hidden, TrialProgress = setup.Model.TrialProgress } };
            var results = new List<(double, long?, double)>();
            for (int i = 0; i < tasks.Length; i++)
            {
                var target = InContextEvaluator.Evaluate(learner, new SingleTask<TTask>(tasks[i]), t => family.CreateEnv(options, t), settings.TargetTrials,
                    setup.EpisodesPerTrial, TaskSeeds.Mix(seed, i, 1), trialProgress: setup.TrialProgress).Score.Mean;
                using var policy = new InContextPolicy(small.NewModel());
                var trainer = new PpoTrainer(small.NewModel(), config.Ppo, TaskSeeds.Mix(seed, i, 2));
                var (steps, best) = FromScratch.StepsToReach(trainer, policy, tasks[i], t => family.CreateEnv(options, t), setup.EpisodesPerTrial, target,
                    settings.TrialsPerUpdate, settings.MaxUpdates, TaskSeeds.Mix(seed, i, 3), setup.TrialProgress);
                results.Add((target, steps, best));
            }
            return new FromScratchResult(settings, results, Median(results.Select(r => r.Item2)), setup.TrialSteps);
        }
    }

    /// <summary>The median, counting a null (not reached) as longer than any; null when half or more are null.</summary>
    public static double? Median(IEnumerable<long?> values)
    {
        var all = values.ToArray();
        if (all.Length == 0) return null;
        var sorted = all.Select(v => v is long s ? (double)s : double.PositiveInfinity).Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return double.IsFinite(median) ? median : null;
    }
}
