using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Grid;

/// <summary>
/// Dark Key-to-Door of Algorithm Distillation (Laskin et al. 2022): a 9×9 dark room, episodes of 50 steps from the
/// centre; the first step that ends on the key cell pays +1 and picks the key up; a step that ends on the
/// door cell while holding the key pays +1 and terminates the episode. Otherwise the episode is truncated
/// at <see cref="Horizon"/>. The observation is only the cell index <c>y·Size + x</c> in Discrete(Size²):
/// whether the key is held is not shown, so the agent has to remember it. Key and door are distinct
/// cells (a task with both on one cell would pay 2 in one step). Deterministic; seeds are ignored.
/// </summary>
public sealed class DarkKeyToDoorEnv : ITaskEnv<int, int, KeyDoorTask>
{
    public const int DefaultSize = 9;
    public const int DefaultHorizon = 50;

    private bool _needsReset = true;

    public DarkKeyToDoorEnv(KeyDoorTask task, int size = DefaultSize, int horizon = DefaultHorizon)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "the room needs at least 2×2 cells for a key and a door");
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "an episode needs at least one step");
        Size = size;
        Horizon = horizon;
        ObservationSpace = new Discrete(size * size);
        Task = Validated(task);
    }

    public Space<int> ObservationSpace { get; }
    public Space<int> ActionSpace { get; } = new Discrete(GridActions.Count);
    public KeyDoorTask Task { get; private set; }

    public int Size { get; }
    public int Horizon { get; }
    public int X { get; private set; }
    public int Y { get; private set; }
    public bool HasKey { get; private set; }
    public int ElapsedSteps { get; private set; }

    public void SetTask(KeyDoorTask task) => Task = Validated(task);

    public (int Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        X = Y = Size / 2;
        HasKey = false;
        ElapsedSteps = 0;
        _needsReset = false;
        return (Y * Size + X, Info.Empty);
    }

    public StepResult<int> Step(int action)
    {
        if (_needsReset) throw new InvalidOperationException("Step called before Reset or after the episode ended");
        if ((uint)action >= GridActions.Count) throw new ArgumentOutOfRangeException(nameof(action), action, $"not in {ActionSpace}");
        (X, Y) = GridActions.Move(X, Y, action, Size, Size);
        ElapsedSteps++;
        double reward = 0;
        bool terminated = false;
        if (!HasKey && X == Task.KeyX && Y == Task.KeyY)
        {
            HasKey = true;
            reward = 1;
        }
        else if (HasKey && X == Task.DoorX && Y == Task.DoorY)
        {
            reward = 1;
            terminated = true;
        }
        bool truncated = !terminated && ElapsedSteps >= Horizon;
        _needsReset = terminated || truncated;
        return new StepResult<int>(Y * Size + X, reward, terminated, truncated, Info.Empty);
    }

    private KeyDoorTask Validated(KeyDoorTask task)
    {
        if ((uint)task.KeyX >= Size || (uint)task.KeyY >= Size || (uint)task.DoorX >= Size || (uint)task.DoorY >= Size)
            throw new ArgumentOutOfRangeException(nameof(task), task, $"key and door must lie in the {Size}×{Size} room (0..{Size - 1})");
        if (task.KeyX == task.DoorX && task.KeyY == task.DoorY)
            throw new ArgumentException($"key and door must be distinct cells, both are ({task.KeyX}, {task.KeyY})", nameof(task));
        return task;
    }
}
