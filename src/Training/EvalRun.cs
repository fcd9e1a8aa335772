using MetaRL.Environments;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.NonStationary;
using MetaRL.Environments.Tasks;
using MetaRL.Training.Baselines;
using MetaRL.Policies.Evaluation;
using MetaRL.Policies;

namespace MetaRL.Training;

/// <summary>
/// One split's evaluation: the learner's adaptation curve and, where the family has them, the baselines on the same
/// tasks; under a schedule, the learner's tracking regret and recovery (<see cref="LearnerTracking"/>).
/// </summary>
internal sealed record SplitEvaluation(string Split, AdaptationCurve LearnerCurve, IReadOnlyList<BaselineRow> Baselines, TrackingSummary? LearnerTracking = null);

/// <summary>The evaluation of a trained run (docs/architecture.md §3).</summary>
/// <param name="Greedy">Whether the learner acted by the most probable action instead of sampling from its policy.</param>
/// <param name="Learner">The trained policy's name in tables: RL² (the GRU) or Transformer.</param>
internal sealed record Evaluation(string Run, string Env, int EpisodesPerTrial, long PolicyVersion, bool Greedy, AdaptationCurve Train,
    IReadOnlyList<SplitEvaluation> Splits, string Learner = "RL²")
{
    /// <summary>The schedule the tasks ran under (null: stationary).</summary>
    public string? Schedule { get; init; }

    /// <summary>PPO from scratch on single held-out tasks against the learner's score on them (<c>metarl study --from-scratch</c>).</summary>
    public Studies.FromScratchResult? FromScratch { get; init; }

    /// <summary>Train minus held-out (test) score: how much the meta-learner overfits its training tasks.</summary>
    public double Gap => Train.Score.Mean - Splits.First(s => s.Split.StartsWith("test", StringComparison.Ordinal)).LearnerCurve.Score.Mean;
}

/// <summary>
/// Meta-testing with frozen weights: the trained RL² policy on the test split (held-out tasks), the ood split
/// and, for the train-vs-held-out gap, the train split; with the classical baselines on exactly the same tasks
/// (same task stream, same env seeds) where the family has a baseline suite.
/// </summary>
internal static class EvalRun
{
    /// <param name="trained">The model with the run's weights loaded (<see cref="ModelFile.Load"/>); the evaluation owns and disposes it.</param>
    /// <param name="fromScratch">When given, also trains PPO from scratch on single held-out tasks (of the first group, with groups) against the learner.</param>
    public static Evaluation Run(string runName, TrainConfig config, TrainingSetup setup, InContextModel trained, long version, int trials, int seed,
        bool greedy = false, Studies.FromScratchSettings? fromScratch = null)
    {
        using var policy = new InContextPolicy(trained);
        var splits = new List<SplitEvaluation>();
        // A population of groups is evaluated group by group, each under its own schedule: "test/switching", ….
        var groups = config.Population.Groups is { Count: > 0 } named
            ? named.Select(g => ($"/{g.Name}", config with { Env = config.Env with { Schedule = g.Schedule }, Population = config.Population with { Groups = null } }))
            : [("", config)];
        foreach (var (suffix, groupConfig) in groups)
            foreach (var split in new[] { TaskSplit.Test, TaskSplit.Ood })
            {
                var tracking = groupConfig.Env.Schedule is not null ? new TrackingRecord(trials) : null;
                var curve = Curve(setup, groupConfig, policy, split, trials, seed, greedy, tracking);
                var baselines = Baselines(groupConfig, setup, split, trials, seed);
                splits.Add(new SplitEvaluation(BaselinesRun.Split(split) + suffix, curve, baselines.Rows,
                    tracking is null ? null : TrackingSummary.Of(tracking, baselines.Oracle)));
            }
        string learner = setup.Model.Kind.Learner;
        var scratch = fromScratch is null ? null : Studies.FromScratchStudy.Run(groups.First().Item2, setup, policy, seed, fromScratch);
        return new Evaluation(runName, setup.Family.Name, setup.EpisodesPerTrial, version, greedy, Curve(setup, config, policy, TaskSplit.Train, trials, seed, greedy, null),
            splits, learner) { Schedule = config.Env.Schedule, FromScratch = scratch };
    }

    /// <summary>The policy's adaptation curve on <paramref name="split"/>'s tasks of <paramref name="config"/> (without groups).</summary>
    public static AdaptationCurve Curve(TrainingSetup setup, TrainConfig config, InContextPolicy policy, TaskSplit split, int trials, int seed, bool greedy,
        TrackingRecord? tracking) =>
        setup.Family.WithTypes(new CurveOf(setup, config.Env.ToOptions(split), policy, trials, seed, greedy, tracking));

    /// <summary>The policy's adaptation curve on one split, run with the env family's own types.</summary>
    private sealed class CurveOf(TrainingSetup setup, EnvOptions options, InContextPolicy policy, int trials, int seed, bool greedy, TrackingRecord? tracking)
        : IFamilyCode<AdaptationCurve>
    {
        public AdaptationCurve Run<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> family) =>
            InContextEvaluator.Evaluate(policy, family.CreateDistribution(options), t => family.CreateEnv(options, t), trials, setup.EpisodesPerTrial, seed,
                greedy: greedy, trialProgress: setup.TrialProgress, tracking: tracking);
    }

    /// <summary>
    /// The family's classical baselines (random actions where it declares none) on the same tasks, env seeds and schedule
    /// as the learner's <paramref name="split"/> evaluation.
    /// </summary>
    public static BaselinesReport Baselines(TrainConfig config, TrainingSetup setup, TaskSplit split, int trials, int seed)
    {
        var options = config.Env.ToOptions(split);
        return BaselinesRun.Run(new BaselinesSettings
        {
            Env = setup.Family.Name,
            Options = options,
            Episodes = setup.EpisodesPerTrial,
            Trials = trials,
            Seed = seed,
            Split = split,
            Schedule = options.Schedule,
        });
    }
}
