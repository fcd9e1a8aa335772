using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Host.Baselines;
using MetaRL.Policies.Evaluation;
using MetaRL.Policies;

namespace MetaRL.Host.Training;

/// <summary>One split's evaluation: RL²'s adaptation curve and, where the family has them, the baselines on the same tasks.</summary>
internal sealed record SplitEvaluation(string Split, AdaptationCurve Rl2, IReadOnlyList<BaselineRow> Baselines);

/// <summary>The evaluation of a trained run (docs/architecture.md §3).</summary>
/// <param name="Greedy">Whether the learner acted by the most probable action instead of sampling from its policy.</param>
/// <param name="Learner">The trained policy's name in tables: RL² (the GRU) or Transformer.</param>
internal sealed record Evaluation(string Run, string Env, int EpisodesPerTrial, long PolicyVersion, bool Greedy, AdaptationCurve Train,
    IReadOnlyList<SplitEvaluation> Splits, string Learner = EvalOutput.Rl2Name)
{
    /// <summary>Train minus held-out (test) score: how much the meta-learner overfits its training tasks.</summary>
    public double Gap => Train.Score.Mean - Splits.First(s => s.Split == "test").Rl2.Score.Mean;
}

/// <summary>
/// Meta-testing with frozen weights: the trained RL² policy on the test split (held-out tasks), the ood split
/// and, for the train-vs-held-out gap, the train split; with the classical baselines on exactly the same tasks
/// (same task stream, same env seeds) where the family has a baseline suite.
/// </summary>
internal static class EvalRun
{
    /// <param name="trained">The model with the run's weights loaded (<see cref="ModelFile.Load"/>); the evaluation owns and disposes it.</param>
    public static Evaluation Run(string runName, TrainConfig config, TrainingSetup setup, InContextModel trained, long version, int trials, int seed,
        bool greedy = false)
    {
        using var policy = new InContextPolicy(trained);
        AdaptationCurve Curve(TaskSplit split) => Evaluate(setup, config, policy, split, trials, seed, greedy);
        var splits = new List<SplitEvaluation>();
        foreach (var split in new[] { TaskSplit.Test, TaskSplit.Ood })
            splits.Add(new SplitEvaluation(BaselineEnvs.Split(split), Curve(split), Baselines(config, setup, split, trials, seed)));
        string learner = setup.Model.Type == ModelType.Transformer ? "Transformer" : EvalOutput.Rl2Name;
        return new Evaluation(runName, setup.Family.Name, setup.EpisodesPerTrial, version, greedy, Curve(TaskSplit.Train), splits, learner);
    }

    private static AdaptationCurve Evaluate(TrainingSetup setup, TrainConfig config, InContextPolicy policy, TaskSplit split, int trials, int seed, bool greedy) =>
        setup.Family.WithDiscreteActions(new CurveOf(setup, config.Env.ToOptions(split), policy, trials, seed, greedy));

    /// <summary>The policy's adaptation curve on one split, run with the env family's own types.</summary>
    private sealed class CurveOf(TrainingSetup setup, EnvOptions options, InContextPolicy policy, int trials, int seed, bool greedy)
        : IDiscreteFamilyCode<AdaptationCurve>
    {
        public AdaptationCurve Run<TObs, TTask>(EnvFamily<TObs, int, TTask> family) =>
            Rl2Evaluator.Evaluate(policy, family.CreateDistribution(options), t => family.CreateEnv(options, t), trials, setup.EpisodesPerTrial, seed,
                greedy: greedy, trialProgress: setup.TrialProgress);
    }

    private static IReadOnlyList<BaselineRow> Baselines(TrainConfig config, TrainingSetup setup, TaskSplit split, int trials, int seed)
    {
        if (!BaselineEnvs.Names.Contains(setup.Family.Name)) return [];
        var settings = new BaselinesSettings
        {
            Env = setup.Family.Name,
            Arms = config.Env.Arms ?? 5,
            Pulls = setup.EpisodesPerTrial,
            Episodes = setup.EpisodesPerTrial,
            States = config.Env.States ?? 10,
            Actions = config.Env.Actions ?? 5,
            Horizon = config.Env.Horizon ?? 10,
            Trials = trials,
            Seed = seed,
            Split = split,
        };
        return BaselineEnvs.Run(settings).Rows;
    }
}
