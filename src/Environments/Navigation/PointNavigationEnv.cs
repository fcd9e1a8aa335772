using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Navigation;

/// <summary>
/// MAML's 2D navigation (Finn et al. 2017, ANCHORS.md): a point starts each episode at (0, 0); an action is a
/// velocity in [−0.1, 0.1]², clipped into that box; the reward of a step is the negative distance to the hidden goal
/// after it. An episode ends terminated within <see cref="GoalRadius"/> = 0.01 of the goal, else truncated after 100
/// steps. The observation is the position (a new <c>float[2]</c> each
/// step). Deterministic; seeds are ignored.
/// </summary>
public sealed class PointNavigationEnv : ITaskEnv<float[], float[], PointGoalTask>
{
    public const double MaxStep = 0.1;
    public const int DefaultHorizon = 100;
    public const double GoalRadius = 0.01;

    private static readonly Box Actions = new(2, -(float)MaxStep, (float)MaxStep);
    private bool _needsReset = true;
    private int _steps;

    public PointNavigationEnv(PointGoalTask task, int horizon = DefaultHorizon)
    {
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "an episode needs at least one step");
        if (!double.IsFinite(task.GoalX) || !double.IsFinite(task.GoalY)) throw new ArgumentOutOfRangeException(nameof(task), task, "the goal must be a finite point");
        Horizon = horizon;
        Task = task;
    }

    public Space<float[]> ObservationSpace { get; } = new Box(2, float.NegativeInfinity, float.PositiveInfinity);
    public Space<float[]> ActionSpace => Actions;
    public PointGoalTask Task { get; private set; }
    public int Horizon { get; }
    public double X { get; private set; }
    public double Y { get; private set; }

    public void SetTask(PointGoalTask task) => Task = task;

    public (float[] Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        X = Y = 0;
        _steps = 0;
        _needsReset = false;
        return ([0f, 0f], Info.Empty);
    }

    public StepResult<float[]> Step(float[] action)
    {
        if (_needsReset) throw new InvalidOperationException("Step called before Reset or after the episode ended");
        if (action is null || action.Length != 2 || !float.IsFinite(action[0]) || !float.IsFinite(action[1]))
            throw new ArgumentException($"expected a finite action float[2] in {ActionSpace}", nameof(action));
        X += Math.Clamp(action[0], -MaxStep, MaxStep);
        Y += Math.Clamp(action[1], -MaxStep, MaxStep);
        double distance = Math.Sqrt((X - Task.GoalX) * (X - Task.GoalX) + (Y - Task.GoalY) * (Y - Task.GoalY));
        bool terminated = distance < GoalRadius;
        bool truncated = !terminated && ++_steps >= Horizon;
        _needsReset = terminated || truncated;
        return new StepResult<float[]>([(float)X, (float)Y], -distance, terminated, truncated, Info.Empty);
    }
}
