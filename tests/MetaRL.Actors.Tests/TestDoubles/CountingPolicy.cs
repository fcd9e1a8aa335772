using MetaRL.Policies;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>
/// A policy whose memory is a step counter: each step reports the counter it was handed as the state value
/// and hands back the counter plus one. A trial's recorded values therefore show exactly when its agent's
/// memory was zeroed. It always picks action <see cref="Action"/>.
/// </summary>
internal sealed class CountingPolicy(int inputSize, int actions, int action = 0) : IInContextPolicy
{
    public int InputSize => inputSize;
    public int MemorySize => 2;
    public int OutputSize => actions;
    public MetaRL.Policies.Actions.PolicyHead PolicyHead { get; } = new MetaRL.Policies.Actions.CategoricalHead(actions);
    public int Action => action;

    public void Step(int batch, float[] inputs, float[] memory, float[] probs, float[] values)
    {
        for (int i = 0; i < batch; i++)
        {
            values[i] = memory[i * MemorySize];
            memory[i * MemorySize] += 1;
            for (int a = 0; a < actions; a++) probs[i * actions + a] = a == action ? 1 : 0;
        }
    }

    public float[] GetParameters() => [];

    public void LoadParameters(ReadOnlySpan<float> parameters) { }

    public void Dispose() { }
}
