using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Navigation;

/// <summary>
/// What the point-robot envs share: a point starts each episode at (0, 0); an action is a displacement in
/// [−0.1, 0.1]², clipped into that box rather than rejected; the observation is the position (a new <c>float[2]</c>
/// each step, in an unbounded Box); an episode ends truncated after <see cref="Horizon"/> steps unless the subclass
/// ends it sooner. Subclasses say what a step pays and whether it ends the episode. Deterministic; seeds are ignored.
/// </summary>
public abstract class PointEnv : ITaskEnv<float[], float[], PointGoalTask>
{
    public const double MaxStep = 0.1;

    private static readonly Box Actions = new(2, -(float)MaxStep, (float)MaxStep);
    private bool _needsReset = true;

    protected PointEnv(PointGoalTask task, int horizon)
    {
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "an episode needs at least one step");
        Horizon = horizon;
        Task = Validated(task);
    }

    public Space<float[]> ObservationSpace { get; } = new Box(2, float.NegativeInfinity, float.PositiveInfinity);
    public Space<float[]> ActionSpace => Actions;
    public PointGoalTask Task { get; private set; }

    public int Horizon { get; }
    public double X { get; private set; }
    public double Y { get; private set; }
    public int ElapsedSteps { get; private set; }

    /// <summary>Distance from the current position to the goal.</summary>
    public double DistanceToGoal => Math.Sqrt((X - Task.GoalX) * (X - Task.GoalX) + (Y - Task.GoalY) * (Y - Task.GoalY));

    public void SetTask(PointGoalTask task) => Task = Validated(task);

    public (float[] Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        X = Y = 0;
        ElapsedSteps = 0;
        _needsReset = false;
        return ([0f, 0f], Info.Empty);
    }

    public StepResult<float[]> Step(float[] action)
    {
        if (_needsReset) throw new InvalidOperationException("Step called before Reset or after the episode ended");
        if (action is null || action.Length != 2)
            throw new ArgumentException($"expected an action float[2] in {ActionSpace}, got {(action is null ? "null" : $"float[{action.Length}]")}", nameof(action));
        if (!float.IsFinite(action[0]) || !float.IsFinite(action[1]))
            throw new ArgumentException($"action ({action[0]}, {action[1]}) is not finite", nameof(action));
        X += Math.Clamp(action[0], -MaxStep, MaxStep);
        Y += Math.Clamp(action[1], -MaxStep, MaxStep);
        ElapsedSteps++;
        var (reward, terminated) = Outcome(DistanceToGoal);
        bool truncated = !terminated && ElapsedSteps >= Horizon;
        _needsReset = terminated || truncated;
        return new StepResult<float[]>([(float)X, (float)Y], reward, terminated, truncated, Info.Empty);
    }

    /// <summary>What a step that left the point <paramref name="distance"/> from the goal pays, and whether it ends the episode.</summary>
    protected abstract (double Reward, bool Terminated) Outcome(double distance);

    private static PointGoalTask Validated(PointGoalTask task)
    {
        if (!double.IsFinite(task.GoalX) || !double.IsFinite(task.GoalY))
            throw new ArgumentOutOfRangeException(nameof(task), task, "the goal must be a finite point");
        return task;
    }
}
