using MetaRL.Environments.Grid;
using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Mazes;

/// <summary>
/// A random maze with a hidden exit: a perfect maze (<see cref="MazeLayout"/>) generated per task from the
/// task's seed, the agent starting each episode in the top-left cell (0, 0). The agent sees only its cell
/// index <c>y·Size + x</c> in Discrete(Size²): neither walls nor exit are shown, so a move into a wall (which
/// leaves it in place, as in <see cref="GridActions"/>) is how it learns the layout. The step that reaches
/// the exit pays 1 and terminates; otherwise the episode is truncated at <see cref="Horizon"/> (by default
/// 2·Size², enough for a depth-first walk of the whole maze). Deterministic; seeds are ignored.
/// </summary>
public sealed class MazeEnv : ITaskEnv<int, int, MazeTask>
{
    public const int DefaultSize = 10;

    private bool _needsReset = true;

    public MazeEnv(MazeTask task, int? horizon = null)
    {
        if (task.Size < 2) throw new ArgumentOutOfRangeException(nameof(task), task, "a maze needs at least 2×2 cells");
        Size = task.Size;
        Horizon = horizon ?? 2 * Size * Size;
        if (Horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "an episode needs at least one step");
        ObservationSpace = new Discrete(Size * Size);
        Task = task;
        Layout = Build(task);
    }

    public Space<int> ObservationSpace { get; }
    public Space<int> ActionSpace { get; } = new Discrete(GridActions.Count);
    public MazeTask Task { get; private set; }

    /// <summary>The walls of the current task's maze.</summary>
    public MazeLayout Layout { get; private set; }

    public int Size { get; }
    public int Horizon { get; }
    public int X { get; private set; }
    public int Y { get; private set; }
    public int ElapsedSteps { get; private set; }

    public void SetTask(MazeTask task)
    {
        if (task.Size != Size) throw new ArgumentException($"task is a {task.Size}×{task.Size} maze but this env is {Size}×{Size}", nameof(task));
        ValidateExit(task);
        // Regenerating costs a few microseconds of allocation; skip it when only the exit moved.
        var layout = task.MazeSeed == Task.MazeSeed && task.Generator == Task.Generator ? Layout : Build(task);
        Task = task;
        Layout = layout;
    }

    public (int Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        X = Y = 0;
        ElapsedSteps = 0;
        _needsReset = false;
        return (0, Info.Empty);
    }

    public StepResult<int> Step(int action)
    {
        if (_needsReset) throw new InvalidOperationException("Step called before Reset or after the episode ended");
        if ((uint)action >= GridActions.Count) throw new ArgumentOutOfRangeException(nameof(action), action, $"not in {ActionSpace}");
        if (action != GridActions.Stay && Layout.IsOpen(X, Y, action))
        {
            var (dx, dy) = GridActions.Delta(action);
            X += dx;
            Y += dy;
        }
        ElapsedSteps++;
        bool terminated = X == Task.ExitX && Y == Task.ExitY;
        bool truncated = !terminated && ElapsedSteps >= Horizon;
        _needsReset = terminated || truncated;
        return new StepResult<int>(Y * Size + X, terminated ? 1.0 : 0.0, terminated, truncated, Info.Empty);
    }

    private static MazeLayout Build(MazeTask task)
    {
        ValidateExit(task);
        return MazeLayout.Generate(task.Size, task.MazeSeed, task.Generator);
    }

    private static void ValidateExit(MazeTask task)
    {
        if ((uint)task.ExitX >= task.Size || (uint)task.ExitY >= task.Size)
            throw new ArgumentOutOfRangeException(nameof(task), task, $"the exit must lie in the {task.Size}×{task.Size} maze (0..{task.Size - 1})");
        if (task.ExitX == 0 && task.ExitY == 0)
            throw new ArgumentException("the exit cannot be the start cell (0, 0)", nameof(task));
    }
}
