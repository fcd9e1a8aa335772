namespace MetaRL.Actors.Learning;

/// <summary>A frozen policy's score on held-out tasks: the mean trial score, its standard error, and what the evaluation cost.</summary>
public sealed record HeldOutScore(double Mean, double Stderr, double Seconds);

/// <summary>
/// Scores parameters on held-out tasks (the same tasks every time). Built by <see cref="LearnerEvaluation.Factory"/>
/// on the learner's own thread, owned and disposed by the learner.
/// </summary>
public interface IHeldOutEvaluator : IDisposable
{
    /// <summary>The score of the policy with these parameters (the evaluator measures its own cost: <see cref="HeldOutScore.Seconds"/>).</summary>
    HeldOutScore Evaluate(float[] parameters);
}

/// <summary>Evaluation during training (config keys <c>eval.every</c>, <c>eval.trials</c>): every <paramref name="Every"/> updates and at the last one.</summary>
public sealed record LearnerEvaluation(int Every, Func<IHeldOutEvaluator> Factory);
