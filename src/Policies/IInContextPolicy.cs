namespace MetaRL.Policies;

/// <summary>
/// An in-context policy (the RL² GRU or the transformer, <see cref="InContextPolicy"/>) as the inference batcher sees it:
/// one batched step over flat buffers, carrying each agent's memory, so that the
/// batcher can hand it the pinned buffers its requests were written into. Implementations hold their own
/// parameters; <see cref="LoadParameters"/> replaces them with a snapshot a learner broadcast.
/// </summary>
public interface IInContextPolicy : IDisposable
{
    /// <summary>Floats of one input row (the RL² input).</summary>
    int InputSize { get; }

    /// <summary>Floats of one agent's memory (e.g. the GRU state).</summary>
    int MemorySize { get; }

    /// <summary>The episode noise floats that end each input row (<see cref="InContextModel.EpisodeNoise"/>); 0 for most policies.</summary>
    int EpisodeNoise => 0;

    /// <summary>Floats of one row of policy output (<see cref="PolicyHead"/>'s inference rows: probabilities, or means and standard deviations).</summary>
    int OutputSize { get; }

    /// <summary>How a row of output becomes an action.</summary>
    Actions.PolicyHead PolicyHead { get; }

    /// <summary>
    /// One step for the first <paramref name="batch"/> rows: reads <c>inputs[batch × InputSize]</c> and
    /// <c>memory[batch × MemorySize]</c>, overwrites <paramref name="memory"/> with the new memory, writes action
    /// the policy's rows <c>outputs[batch × OutputSize]</c> and state values <c>values[batch]</c>. The arrays may be
    /// longer than the batch needs; pass pinned arrays (<c>GC.AllocateArray(…, pinned: true)</c>) and the
    /// native side reads and writes them in place.
    /// </summary>
    void Step(int batch, float[] inputs, float[] memory, float[] outputs, float[] values);

    /// <summary>The parameters as one flat vector (a copy), in a fixed order.</summary>
    float[] GetParameters();

    /// <summary>Replaces the parameters with a vector <see cref="GetParameters"/> produced.</summary>
    void LoadParameters(ReadOnlySpan<float> parameters);
}
