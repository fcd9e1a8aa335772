using MetaRL.Environments;
using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Actions;

/// <summary>Discrete actions: the policy output is A logits; an inference row is the A probabilities.</summary>
public sealed class CategoricalHead(int actions) : PolicyHead
{
    public int Actions { get; } = actions > 0 ? actions : throw new ArgumentOutOfRangeException(nameof(actions), actions, "at least one action");

    public override int OutputSize => Actions;
    public override int VectorSize => 0;
    public override int UniformsPerDraw => 1;
    public override int CoreOutputs => Actions;

    public override Tensor InferenceRows(Tensor output) => output.softmax(-1);

    public override float Draw(ReadOnlySpan<float> row, ReadOnlySpan<double> uniforms, Span<float> vector, out int index)
    {
        index = Sampling.Categorical(uniforms[0], row);
        return MathF.Log(Math.Max(row[index], 1e-30f));
    }

    public override float Mode(ReadOnlySpan<float> row, Span<float> vector, out int index)
    {
        index = 0;
        for (int a = 1; a < row.Length; a++) if (row[a] > row[index]) index = a;
        return MathF.Log(Math.Max(row[index], 1e-30f));
    }

    public override (Tensor LogProb, Tensor Entropy) Evaluate(Tensor output, Tensor actions)
    {
        var logp = output.log_softmax(-1);
        var taken = logp.gather(-1, actions.unsqueeze(-1)).squeeze(-1);
        return (taken, -(logp.exp() * logp).sum(-1));
    }

    public override InContextModel Wrap(InContextModel core) => core;
}
