using System.Diagnostics;
using MetaRL.Actors.Learning;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;

namespace MetaRL.Training;

/// <summary>
/// Evaluation during training (config <c>eval.every</c>): the learner's parameters loaded into a model of its own,
/// run on <c>eval.trials</c> test tasks with seed <c>eval.seed</c> and sampled actions by the evaluator
/// <c>metarl eval</c> uses, so a row's eval_mean is what <c>metarl eval --trials N --seed S</c> would print for that
/// version. With groups of agents, the first group's tasks. Built and used on the learner's thread.
/// </summary>
internal sealed class HeldOutEvaluator(TrainingSetup setup, TrainConfig config) : IHeldOutEvaluator
{
    private readonly InContextPolicy _policy = new(setup.NewModel());

    private readonly TrainConfig _tasks = TasksOf(config);

    /// <summary>The config whose test tasks the run is evaluated on during training: the run's, or with groups the first group's.</summary>
    public static TrainConfig TasksOf(TrainConfig config) => config.Population.Groups is { Count: > 0 } groups
        ? config with { Env = config.Env with { Schedule = groups[0].Schedule }, Population = config.Population with { Groups = null } }
        : config;

    /// <summary>The run's evaluation during training, or null when <c>eval.every</c> is 0.</summary>
    public static LearnerEvaluation? For(TrainingSetup setup, TrainConfig config) =>
        config.Eval.Every > 0 ? new LearnerEvaluation(config.Eval.Every, () => new HeldOutEvaluator(setup, config)) : null;

    public HeldOutScore Evaluate(float[] parameters)
    {
        var clock = Stopwatch.StartNew();
        _policy.LoadParameters(parameters);
        var curve = EvalRun.Curve(setup, _tasks, _policy, TaskSplit.Test, config.Eval.Trials, config.Eval.Seed, greedy: false, tracking: null);
        return new HeldOutScore(curve.Score.Mean, curve.Score.Stderr, clock.Elapsed.TotalSeconds);
    }

    public void Dispose() => _policy.Dispose();
}
