using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Grid;

/// <summary>
/// Dark Room of Algorithm Distillation (Laskin et al. 2022): a <see cref="Size"/>² room with
/// no walls inside; the agent starts every episode at the centre and sees only where it is; the goal
/// cell is hidden and set by the task. Actions are <see cref="GridActions"/> (left, right, up, down,
/// no-op). An episode is <see cref="Horizon"/> steps and ends truncated (there is no terminal state).
/// <list type="bullet">
/// <item>Dark Room (<see cref="Create"/>): 9×9, 20 steps, reward 1 on every step that ends on the goal.</item>
/// <item>Dark Room Hard (<see cref="CreateHard"/>): 17×17, reward 1 only the first time the agent reaches
/// the goal in an episode. The paper gives no horizon for it; we keep 20 steps (every cell is within 16
/// steps of the centre).</item>
/// </list>
/// The observation is the cell index <c>y·Size + x</c> in Discrete(Size²), one-hot in the RL² input: the
/// same information as AD's (x, y), in the form our tabular baselines and one-hot encoders take.
/// The env is deterministic; <c>Reset(seed)</c> accepts a seed for uniformity and ignores it.
/// </summary>
public sealed class DarkRoomEnv : ITaskEnv<int, int, DarkRoomTask>
{
    public const int DefaultSize = 9;
    public const int HardSize = 17;
    public const int DefaultHorizon = 20;

    private bool _needsReset = true;
    private bool _rewarded;

    public DarkRoomEnv(DarkRoomTask task, int size = DefaultSize, int horizon = DefaultHorizon, bool rewardOnce = false)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "the room needs at least one cell");
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "an episode needs at least one step");
        Size = size;
        Horizon = horizon;
        RewardOnce = rewardOnce;
        ObservationSpace = new Discrete(size * size);
        Task = Validated(task);
    }

    /// <summary>Dark Room: 9×9, 20 steps, reward on every step on the goal.</summary>
    public static DarkRoomEnv Create(DarkRoomTask task) => new(task);

    /// <summary>Dark Room Hard: 17×17, 20 steps, reward once an episode.</summary>
    public static DarkRoomEnv CreateHard(DarkRoomTask task) => new(task, HardSize, DefaultHorizon, rewardOnce: true);

    public Space<int> ObservationSpace { get; }
    public Space<int> ActionSpace { get; } = new Discrete(GridActions.Count);
    public DarkRoomTask Task { get; private set; }

    public int Size { get; }
    public int Horizon { get; }

    /// <summary>True for Dark Room Hard: the goal pays once an episode.</summary>
    public bool RewardOnce { get; }

    public int X { get; private set; }
    public int Y { get; private set; }
    public int ElapsedSteps { get; private set; }

    /// <summary>The start cell: the centre.</summary>
    public int Start => Size / 2 * Size + Size / 2;

    public void SetTask(DarkRoomTask task) => Task = Validated(task);

    public (int Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        X = Y = Size / 2;
        ElapsedSteps = 0;
        _rewarded = false;
        _needsReset = false;
        return (Y * Size + X, Info.Empty);
    }

    public StepResult<int> Step(int action)
    {
        if (_needsReset) throw new InvalidOperationException("Step called before Reset or after the episode ended");
        if ((uint)action >= GridActions.Count) throw new ArgumentOutOfRangeException(nameof(action), action, $"not in {ActionSpace}");
        (X, Y) = GridActions.Move(X, Y, action, Size, Size);
        double reward = 0;
        if (X == Task.GoalX && Y == Task.GoalY && !(RewardOnce && _rewarded))
        {
            reward = 1;
            _rewarded = true;
        }
        ElapsedSteps++;
        bool truncated = ElapsedSteps >= Horizon;
        _needsReset = truncated;
        return new StepResult<int>(Y * Size + X, reward, Terminated: false, truncated, Info.Empty);
    }

    private DarkRoomTask Validated(DarkRoomTask task)
    {
        if ((uint)task.GoalX >= Size || (uint)task.GoalY >= Size)
            throw new ArgumentOutOfRangeException(nameof(task), task, $"the goal must lie in the {Size}×{Size} room (0..{Size - 1})");
        return task;
    }
}
