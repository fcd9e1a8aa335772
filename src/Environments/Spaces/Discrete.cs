namespace MetaRL.Environments.Spaces;

/// <summary>The integers <c>0 … n-1</c>; flattened as a one-hot vector of length n.</summary>
public sealed class Discrete : Space<int>
{
    public Discrete(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "a Discrete space needs at least one element");
        N = n;
    }

    /// <summary>Number of elements.</summary>
    public int N { get; }

    public override int FlatSize => N;

    public override bool Contains(int value) => value >= 0 && value < N;

    public override int Sample(Random rng) => rng.Next(N);

    public override void Flatten(int value, Span<float> destination)
    {
        if (!Contains(value)) throw new ArgumentOutOfRangeException(nameof(value), value, $"not in {this}");
        destination[..N].Clear();
        destination[value] = 1f;
    }

    public override string ToString() => $"Discrete({N})";
}
