namespace MetaRL.Environments.Mazes;

/// <summary>How a maze's walls are generated from its seed. Both give perfect mazes (exactly one path between any two cells).</summary>
public enum MazeGenerator
{
    /// <summary>Depth-first search with backtracking: long winding corridors, few dead ends.</summary>
    Backtracker,

    /// <summary>Randomised Prim's algorithm: short branches, many dead ends.</summary>
    Prim,
}

/// <summary>
/// A maze task: a <see cref="Size"/>×<see cref="Size"/> maze whose walls are regenerated from
/// <see cref="MazeSeed"/> by <see cref="Generator"/> (so the record stays small), and the hidden exit cell.
/// </summary>
public sealed record MazeTask(int Size, int MazeSeed, int ExitX, int ExitY, MazeGenerator Generator = MazeGenerator.Backtracker);
