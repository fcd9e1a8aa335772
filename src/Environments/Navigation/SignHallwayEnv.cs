using MetaRL.Environments.Grid;
using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Navigation;

/// <summary>
/// A hallway with a sign: the classic test of information-gathering exploration. N dead-end hallways of
/// length L rise from a corridor; the agent starts in the middle of the corridor; the cell just below the
/// start is a sign that tells which hallway holds the reward. Reading the sign (stepping onto it) costs two
/// steps and pays nothing; without it, the agent must walk up hallways until it finds the right one.
/// <code>
///   H . H . H     row 0: hallway ends (x = 0, 2, 4, …)
///   H . H . H     rows 1 … L−1
///   C C S C C     row L: the corridor, start S at x = N − 1
///   . . R . .     row L+1: the sign R, below the start
/// </code>
/// Actions are <see cref="GridActions"/>; a move onto a non-walkable cell leaves the agent in place. The
/// step that reaches the end of the target hallway pays 1 and terminates; other hallway ends pay nothing
/// and the episode goes on. Otherwise it is truncated at <see cref="Horizon"/> (by default enough to walk
/// up every hallway once). Observation: the cell index <c>y·W + x</c> with W = 2N − 1, except on the sign,
/// where it is <c>W·(L+2) + target</c>: Discrete(W·(L+2) + N). Deterministic; seeds are ignored.
/// </summary>
public sealed class SignHallwayEnv : ITaskEnv<int, int, HallwayTask>
{
    public const int DefaultHallways = 3;
    public const int DefaultLength = 4;

    private bool _needsReset = true;

    public SignHallwayEnv(HallwayTask task, int hallways = DefaultHallways, int length = DefaultLength, int? horizon = null)
    {
        if (hallways < 2) throw new ArgumentOutOfRangeException(nameof(hallways), hallways, "a sign is only useful with at least 2 hallways");
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "a hallway needs at least one cell");
        Hallways = hallways;
        Length = length;
        Horizon = horizon ?? hallways * (2 * length + 2) + 4;
        if (Horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "an episode needs at least one step");
        Width = 2 * hallways - 1;
        Height = length + 2;
        ObservationSpace = new Discrete(Width * Height + hallways);
        Task = Validated(task);
    }

    public Space<int> ObservationSpace { get; }
    public Space<int> ActionSpace { get; } = new Discrete(GridActions.Count);
    public HallwayTask Task { get; private set; }

    public int Hallways { get; }
    public int Length { get; }
    public int Horizon { get; }
    public int Width { get; }
    public int Height { get; }
    public int X { get; private set; }
    public int Y { get; private set; }
    public int ElapsedSteps { get; private set; }

    public (int X, int Y) StartCell => (Hallways - 1, Length);
    public (int X, int Y) SignCell => (Hallways - 1, Length + 1);

    /// <summary>The end cell of hallway <paramref name="k"/>.</summary>
    public static (int X, int Y) HallwayEnd(int k) => (2 * k, 0);

    /// <summary>True when the observation is a reading of the sign (and so names the target).</summary>
    public bool IsSignReading(int obs) => obs >= Width * Height;

    public void SetTask(HallwayTask task) => Task = Validated(task);

    public (int Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        (X, Y) = StartCell;
        ElapsedSteps = 0;
        _needsReset = false;
        return (Observe(), Info.Empty);
    }

    public StepResult<int> Step(int action)
    {
        if (_needsReset) throw new InvalidOperationException("Step called before Reset or after the episode ended");
        if ((uint)action >= GridActions.Count) throw new ArgumentOutOfRangeException(nameof(action), action, $"not in {ActionSpace}");
        var (dx, dy) = GridActions.Delta(action);
        if (Walkable(X + dx, Y + dy)) (X, Y) = (X + dx, Y + dy);
        ElapsedSteps++;
        bool terminated = (X, Y) == HallwayEnd(Task.Target);
        bool truncated = !terminated && ElapsedSteps >= Horizon;
        _needsReset = terminated || truncated;
        return new StepResult<int>(Observe(), terminated ? 1.0 : 0.0, terminated, truncated, Info.Empty);
    }

    /// <summary>Hallways rise from every even column; the corridor is row L; the sign sits below the start.</summary>
    public bool Walkable(int x, int y)
    {
        if (x < 0 || x >= Width || y < 0 || y >= Height) return false;
        if (y < Length) return x % 2 == 0;
        if (y == Length) return true;
        return (x, y) == SignCell;
    }

    private int Observe() => (X, Y) == SignCell ? Width * Height + Task.Target : Y * Width + X;

    private HallwayTask Validated(HallwayTask task)
    {
        if ((uint)task.Target >= Hallways)
            throw new ArgumentOutOfRangeException(nameof(task), task, $"the target must be one of the {Hallways} hallways (0..{Hallways - 1})");
        return task;
    }
}
