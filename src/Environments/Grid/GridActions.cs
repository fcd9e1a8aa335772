namespace MetaRL.Environments.Grid;

/// <summary>
/// The five actions of the grid worlds (Dark Room family, hallway, maze), in the order Algorithm Distillation lists
/// them: left, right, up, down, no-op. Row 0 is the top, so "up" decreases y. A move into the border (or,
/// in the maze, a wall) leaves the agent where it was.
/// </summary>
public static class GridActions
{
    public const int Left = 0;
    public const int Right = 1;
    public const int Up = 2;
    public const int Down = 3;
    public const int Stay = 4;
    public const int Count = 5;

    /// <summary>Where <paramref name="action"/> takes the agent from (x, y) in an open width × height grid.</summary>
    public static (int X, int Y) Move(int x, int y, int action, int width, int height) => action switch
    {
        Left => (Math.Max(x - 1, 0), y),
        Right => (Math.Min(x + 1, width - 1), y),
        Up => (x, Math.Max(y - 1, 0)),
        Down => (x, Math.Min(y + 1, height - 1)),
        _ => (x, y),
    };

    /// <summary>The cell one step in <paramref name="action"/>'s direction, possibly outside the grid.</summary>
    public static (int Dx, int Dy) Delta(int action) => action switch
    {
        Left => (-1, 0),
        Right => (1, 0),
        Up => (0, -1),
        Down => (0, 1),
        _ => (0, 0),
    };
}
