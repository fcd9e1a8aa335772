using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies;

/// <summary>
/// An in-context model (the RL² GRU, the transformer) as an inference batcher runs it: one batched step under
/// no_grad over the batcher's pinned buffers, read and written in place (the inputs and the memory are wrapped,
/// not copied; only the small policy rows and values are copied out).
/// </summary>
public sealed class InContextPolicy : IInContextPolicy
{
    private readonly InContextModel _model;

    public InContextPolicy(InContextModel model)
    {
        _model = model;
        _model.eval();
    }

    public int InputSize => _model.InputSize;
    public int MemorySize => _model.MemorySize;
    public int EpisodeNoise => _model.EpisodeNoise;
    public int OutputSize => _model.PolicyHead.OutputSize;
    public Actions.PolicyHead PolicyHead => _model.PolicyHead;

    public void Step(int batch, float[] inputs, float[] memory, float[] outputs, float[] values)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = from_array(inputs, batch, InputSize);
        var (output, v) = _model.Step(x, from_array(memory, batch, MemorySize));
        _model.PolicyHead.InferenceRows(output).CopyTo(outputs.AsSpan(0, batch * OutputSize));
        v.CopyTo(values.AsSpan(0, batch));
    }

    public float[] GetParameters() => ParameterVector.Get(_model);

    public void LoadParameters(ReadOnlySpan<float> parameters) => ParameterVector.Load(_model, parameters);

    public void Dispose() => _model.Dispose();
}
