namespace MetaRL.Environments.Tasks;

/// <summary>
/// Derives independent, reproducible random streams from one run seed, so that the train, test and
/// ood splits never share draws and each stream is the same on every machine.
/// </summary>
public static class TaskSeeds
{
    /// <summary>A seed for <paramref name="split"/>'s task stream under run seed <paramref name="seed"/>.</summary>
    public static int For(int seed, TaskSplit split, int stream = 0) => Mix(seed, (int)split + 1, stream);

    /// <summary>A fresh <see cref="Random"/> for <paramref name="split"/>'s task stream.</summary>
    public static Random RngFor(int seed, TaskSplit split, int stream = 0) => new(For(seed, split, stream));

    /// <summary>SplitMix64-style mixing of three integers into one well-spread seed.</summary>
    public static int Mix(int a, int b, int c = 0)
    {
        ulong z = (ulong)(uint)a * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)b * 0xC2B2AE3D27D4EB4FUL ^ (ulong)(uint)c * 0x165667B19E3779F9UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    /// <summary>
    /// A uniform draw in [0, 1) that is a pure function of its four keys: counter-based, so a draw can be made
    /// again from its keys alone (a resumed run redraws exactly what the run it continues would have) and does
    /// not depend on the order in which draws are made (how agents are grouped into batches).
    /// </summary>
    public static double Uniform(int seed, int a, int b, int c)
    {
        ulong z = (ulong)(uint)Mix(seed, a, b) << 32 | (uint)c;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
