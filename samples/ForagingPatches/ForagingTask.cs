namespace ForagingPatches;

/// <summary>One foraging ground: each patch's quality when untouched (its best chance of paying 1 a visit).</summary>
public sealed record ForagingTask(double[] Quality)
{
    public int Patches => Quality.Length;
}
