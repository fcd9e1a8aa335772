namespace MetaRL.Environments.Spaces;

/// <summary>
/// The set of values an observation or action may take, as in Gymnasium. Every space can
/// flatten a value into a fixed-length float vector, which is how observations and actions
/// reach a neural policy (a discrete value becomes a one-hot vector).
/// </summary>
public abstract class Space<T>
{
    /// <summary>Length of the vector <see cref="Flatten"/> writes.</summary>
    public abstract int FlatSize { get; }

    /// <summary>True when <paramref name="value"/> is a member of this space.</summary>
    public abstract bool Contains(T value);

    /// <summary>A uniformly drawn member of the space.</summary>
    public abstract T Sample(Random rng);

    /// <summary>Writes the flat encoding of <paramref name="value"/> into the first <see cref="FlatSize"/> slots of <paramref name="destination"/>.</summary>
    public abstract void Flatten(T value, Span<float> destination);

    /// <summary>A short description such as <c>Discrete(5)</c> or <c>Box([2], -0.1..0.1)</c>, used in error messages.</summary>
    public abstract override string ToString();
}
