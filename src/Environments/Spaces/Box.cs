namespace MetaRL.Environments.Spaces;

/// <summary>
/// A box in R^n with per-dimension bounds (possibly infinite); values are <c>float[]</c> of length n,
/// flattened as themselves.
/// </summary>
public sealed class Box : Space<float[]>
{
    private readonly float[] _low;
    private readonly float[] _high;

    public Box(float[] low, float[] high)
    {
        if (low.Length != high.Length)
            throw new ArgumentException($"low has {low.Length} dimensions but high has {high.Length}");
        for (int i = 0; i < low.Length; i++)
            if (!(low[i] <= high[i])) throw new ArgumentException($"bound {i}: low {low[i]} is not <= high {high[i]}");
        _low = (float[])low.Clone();
        _high = (float[])high.Clone();
    }

    /// <summary>A box with the same bounds in every one of <paramref name="dims"/> dimensions.</summary>
    public Box(int dims, float low, float high)
        : this(Enumerable.Repeat(low, dims).ToArray(), Enumerable.Repeat(high, dims).ToArray()) { }

    public int Dims => _low.Length;
    public ReadOnlySpan<float> Low => _low;
    public ReadOnlySpan<float> High => _high;
    public override int FlatSize => Dims;

    public override bool Contains(float[] value)
    {
        if (value is null || value.Length != Dims) return false;
        for (int i = 0; i < value.Length; i++)
            if (!(value[i] >= _low[i] && value[i] <= _high[i])) return false; // NaN is never contained
        return true;
    }

    /// <summary>Uniform in bounded dimensions; standard normal in unbounded ones (as Gymnasium does).</summary>
    public override float[] Sample(Random rng)
    {
        var x = new float[Dims];
        for (int i = 0; i < Dims; i++)
        {
            bool bounded = float.IsFinite(_low[i]) && float.IsFinite(_high[i]);
            x[i] = bounded ? _low[i] + (float)rng.NextDouble() * (_high[i] - _low[i]) : (float)Sampling.Normal(rng);
        }
        return x;
    }

    /// <summary>Clips <paramref name="value"/> into the box, dimension by dimension (a new array).</summary>
    public float[] Clip(float[] value)
    {
        var y = new float[Dims];
        for (int i = 0; i < Dims; i++) y[i] = Math.Clamp(value[i], _low[i], _high[i]);
        return y;
    }

    public override void Flatten(float[] value, Span<float> destination)
    {
        if (value.Length != Dims) throw new ArgumentException($"expected a vector of length {Dims} for {this}, got {value.Length}");
        value.AsSpan().CopyTo(destination);
    }

    public override string ToString()
    {
        bool uniform = _low.All(l => l == _low[0]) && _high.All(h => h == _high[0]);
        return uniform && Dims > 0 ? $"Box([{Dims}], {_low[0]}..{_high[0]})" : $"Box([{Dims}])";
    }
}
