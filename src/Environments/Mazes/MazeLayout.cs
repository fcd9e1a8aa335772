namespace MetaRL.Environments.Mazes;

/// <summary>
/// The walls of a perfect maze on a Size×Size grid of cells, generated deterministically from a seed
/// (<c>new Random(seed)</c> is stable across .NET versions, so a task record names the same maze everywhere).
/// </summary>
public sealed class MazeLayout
{
    // _open[cell * 4 + dir]: the passage from cell in direction dir (0 left, 1 right, 2 up, 3 down) is open.
    private readonly bool[] _open;
    private static readonly (int Dx, int Dy)[] Directions = [(-1, 0), (1, 0), (0, -1), (0, 1)];

    private MazeLayout(int size)
    {
        Size = size;
        _open = new bool[size * size * 4];
    }

    public int Size { get; }

    /// <summary>Generates the maze that (size, seed, generator) names.</summary>
    public static MazeLayout Generate(int size, int seed, MazeGenerator generator)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "a maze needs at least 2×2 cells");
        var maze = new MazeLayout(size);
        var rng = new Random(seed);
        if (generator == MazeGenerator.Prim) maze.CarvePrim(rng);
        else maze.CarveBacktracker(rng);
        return maze;
    }

    /// <summary>True when the agent can move from (x, y) in direction <paramref name="dir"/> (0 left, 1 right, 2 up, 3 down).</summary>
    public bool IsOpen(int x, int y, int dir) => dir is >= 0 and < 4 && _open[(y * Size + x) * 4 + dir];

    /// <summary>Number of open passages out of (x, y); a dead end has one.</summary>
    public int Degree(int x, int y)
    {
        int n = 0;
        for (int d = 0; d < 4; d++) if (_open[(y * Size + x) * 4 + d]) n++;
        return n;
    }

    private bool Inside(int x, int y) => x >= 0 && x < Size && y >= 0 && y < Size;

    private void Carve(int x, int y, int dir)
    {
        var (dx, dy) = Directions[dir];
        _open[(y * Size + x) * 4 + dir] = true;
        _open[((y + dy) * Size + x + dx) * 4 + (dir ^ 1)] = true; // 0↔1, 2↔3: the opposite direction
    }

    private void CarveBacktracker(Random rng)
    {
        var visited = new bool[Size * Size];
        var stack = new Stack<(int X, int Y)>();
        Span<int> choices = stackalloc int[4];
        stack.Push((0, 0));
        visited[0] = true;
        while (stack.Count > 0)
        {
            var (x, y) = stack.Peek();
            int n = 0;
            for (int d = 0; d < 4; d++)
            {
                var (dx, dy) = Directions[d];
                if (Inside(x + dx, y + dy) && !visited[(y + dy) * Size + x + dx]) choices[n++] = d;
            }
            if (n == 0) { stack.Pop(); continue; }
            int dir = choices[rng.Next(n)];
            Carve(x, y, dir);
            var (ddx, ddy) = Directions[dir];
            visited[(y + ddy) * Size + x + ddx] = true;
            stack.Push((x + ddx, y + ddy));
        }
    }

    private void CarvePrim(Random rng)
    {
        var inMaze = new bool[Size * Size];
        var frontier = new List<(int X, int Y, int Dir)>(); // passages from a maze cell to a cell outside it
        void Add(int x, int y)
        {
            inMaze[y * Size + x] = true;
            for (int d = 0; d < 4; d++)
            {
                var (dx, dy) = Directions[d];
                if (Inside(x + dx, y + dy) && !inMaze[(y + dy) * Size + x + dx]) frontier.Add((x, y, d));
            }
        }
        Add(rng.Next(Size), rng.Next(Size));
        while (frontier.Count > 0)
        {
            int i = rng.Next(frontier.Count);
            var (x, y, d) = frontier[i];
            frontier[i] = frontier[^1];
            frontier.RemoveAt(frontier.Count - 1);
            var (dx, dy) = Directions[d];
            if (inMaze[(y + dy) * Size + x + dx]) continue;
            Carve(x, y, d);
            Add(x + dx, y + dy);
        }
    }
}
