using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Transformer;

/// <summary>
/// One pre-norm transformer block: multi-head self-attention, then a GELU MLP (4× wide), each added back to its
/// input. <see cref="Forward"/> runs whole sequences under a causal mask (training); <see cref="Step"/> runs one
/// new position per row against a fixed-size key/value cache, updated in place, in which each row may be at its
/// own position (inference). Both go through <see cref="Attend"/>, so they compute the same thing.
/// </summary>
public sealed class TransformerBlock : Module
{
    private readonly int _heads;

    public TransformerBlock(int width, int heads)
    {
        if (heads < 1 || width % heads != 0)
            throw new ArgumentException($"TransformerBlock: width {width} must be a positive multiple of heads {heads}");
        Width = width;
        _heads = heads;
        AttentionNorm = register_module("attention_norm", new LayerNorm([width]));
        QueryKeyValue = register_module("qkv", new Linear(width, 3 * width));
        Output = register_module("output", new Linear(width, width));
        MlpNorm = register_module("mlp_norm", new LayerNorm([width]));
        MlpIn = register_module("mlp_in", new Linear(width, 4 * width));
        MlpOut = register_module("mlp_out", new Linear(4 * width, width));
    }

    public int Width { get; }
    public LayerNorm AttentionNorm { get; }
    public Linear QueryKeyValue { get; }
    public Linear Output { get; }
    public LayerNorm MlpNorm { get; }
    public Linear MlpIn { get; }
    public Linear MlpOut { get; }

    /// <summary>h [B, T, W] → [B, T, W]; <paramref name="hidden"/> [T, T] is true where a position may not look.</summary>
    public Tensor Forward(Tensor h, Tensor hidden)
    {
        var qkv = QueryKeyValue.forward(AttentionNorm.forward(h)).chunk(3, -1);
        h = h.add(Output.forward(Attend(qkv[0], qkv[1], qkv[2], hidden.unsqueeze(0))));
        return h.add(Mlp(h));
    }

    /// <summary>
    /// One new position per row: h [B, W]; <paramref name="cache"/> [B, 2, C, W] holds the keys and values of
    /// each row's earlier positions, and this step's are written into it in place at <paramref name="slot"/>
    /// ([B, 1, W], each row's position repeated); <paramref name="hidden"/> [B, V] marks the positions after it
    /// among the first V that are read (V ≤ C: no row is past position V − 1).
    /// </summary>
    public Tensor Step(Tensor h, Tensor cache, Tensor slot, Tensor hidden)
    {
        var qkv = QueryKeyValue.forward(AttentionNorm.forward(h)).chunk(3, -1);
        long visible = hidden.size(1);
        var keys = cache.select(1, 0).scatter_(1, slot, qkv[1].unsqueeze(1)).narrow(1, 0, visible);
        var values = cache.select(1, 1).scatter_(1, slot, qkv[2].unsqueeze(1)).narrow(1, 0, visible);
        var attended = Attend(qkv[0].unsqueeze(1), keys, values, hidden.unsqueeze(1)).squeeze(1);
        h = h.add(Output.forward(attended));
        return h.add(Mlp(h));
    }

    /// <summary>q [B, Tq, W], k and v [B, Tk, W], hidden [B or 1, Tq, Tk] → [B, Tq, W].</summary>
    private Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor hidden)
    {
        long batch = q.size(0), headDim = Width / _heads;
        var scores = Heads(q).matmul(Heads(k).transpose(-2, -1)).mul(1 / Math.Sqrt(headDim));
        var weights = scores.masked_fill(hidden.unsqueeze(1), double.NegativeInfinity).softmax(-1);
        return weights.matmul(Heads(v)).transpose(1, 2).reshape(batch, q.size(1), Width);

        Tensor Heads(Tensor t) => t.reshape(batch, t.size(1), _heads, headDim).transpose(1, 2);
    }

    private Tensor Mlp(Tensor h) => MlpOut.forward(MlpIn.forward(MlpNorm.forward(h)).gelu());
}
