using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Rl2;

/// <summary>
/// The RL² network as an inference batcher runs it: one batched step under no_grad over the batcher's pinned
/// buffers, read and written in place (the inputs and the memory are wrapped, not copied; only the small
/// probability and value outputs are copied out).
/// </summary>
public sealed class Rl2Policy : IRecurrentPolicy
{
    private readonly Rl2Model _model;

    public Rl2Policy(Rl2Model model)
    {
        _model = model;
        _model.eval();
    }

    public int InputSize => _model.InputSize;
    public int MemorySize => _model.Hidden;
    public int ActionCount => _model.Actions;

    public void Step(int batch, float[] inputs, float[] memory, float[] probs, float[] values)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = from_array(inputs, batch, InputSize);
        var h = from_array(memory, 1, batch, MemorySize);
        var (logits, v, hNext) = _model.Step(x, h);
        h.copy_(hNext);
        logits.softmax(-1).CopyTo(probs.AsSpan(0, batch * ActionCount));
        v.CopyTo(values.AsSpan(0, batch));
    }

    public float[] GetParameters() => ParameterVector.Get(_model);

    public void LoadParameters(ReadOnlySpan<float> parameters) => ParameterVector.Load(_model, parameters);

    public void Dispose() => _model.Dispose();
}
