using MetaRL.Policies;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>A policy whose every forward pass throws: a batcher that can never answer.</summary>
internal sealed class ThrowingPolicy(int inputSize, int actions) : IInContextPolicy
{
    public int InputSize => inputSize;
    public int MemorySize => 2;
    public int OutputSize => actions;
    public MetaRL.Policies.Actions.PolicyHead PolicyHead { get; } = new MetaRL.Policies.Actions.CategoricalHead(actions);

    public void Step(int batch, float[] inputs, float[] memory, float[] probs, float[] values) =>
        throw new InvalidOperationException("simulated forward-pass failure");

    public float[] GetParameters() => [];

    public void LoadParameters(ReadOnlySpan<float> parameters) { }

    public void Dispose() { }
}
