using MetaRL.Torch.Interop;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Modules;

/// <summary>
/// Causal multi-head self-attention over batch-first sequences [B, T, E]: position t attends to
/// positions ≤ t. Parameters carry PyTorch's <c>nn.MultiheadAttention</c> names (in_proj_weight
/// [3E, E], in_proj_bias, out_proj.weight, out_proj.bias), so a PyTorch
/// <c>MultiheadAttention(E, heads, batch_first=True)</c> with a causal mask loads its state dict and
/// computes the same. <see cref="forward(Tensor, Tensor?, Tensor?)"/> also extends a key/value cache,
/// for incremental inference over a trial.
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer (xavier-uniform input projection, zero biases, as in PyTorch).</summary>
    public CausalSelfAttention(long embedDim, long numHeads, double dropout = 0, bool bias = true, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        if (numHeads < 1 || embedDim % numHeads != 0)
            throw new ArgumentException($"CausalSelfAttention: embed_dim {embedDim} must be divisible by num_heads {numHeads}");
        embed_dim = embedDim;
        num_heads = numHeads;
        this.dropout = dropout;
        in_proj_weight = register_parameter("in_proj_weight", empty([3 * embedDim, embedDim], dtype, device))!;
        nn.init.xavier_uniform_(in_proj_weight);
        if (bias)
        {
            in_proj_bias = register_parameter("in_proj_bias", zeros([3 * embedDim], dtype, device));
        }
        else
        {
            register_parameter("in_proj_bias", null);
        }
        out_proj = register_module("out_proj", new Linear(embedDim, embedDim, bias, device, dtype));
        if (out_proj.bias is { } b) nn.init.zeros_(b);
    }

    /// <summary>Model width E.</summary>
    public long embed_dim { get; }

    /// <summary>Heads; each has E / heads dimensions.</summary>
    public long num_heads { get; }

    /// <summary>Dropout on the attention weights in training mode.</summary>
    public double dropout { get; }

    /// <summary>[3E, E]: the query, key and value projections stacked.</summary>
    public Tensor in_proj_weight { get; }

    /// <summary>[3E] or null.</summary>
    public Tensor? in_proj_bias { get; }

    /// <summary>The output projection.</summary>
    public Linear out_proj { get; }

    /// <summary>Attention over a whole sequence [B, T, E] → [B, T, E].</summary>
    public override Tensor forward(Tensor input)
    {
        var (output, keys, values) = forward(input, null, null);
        keys.Dispose();
        values.Dispose();
        return output;
    }

    /// <summary>
    /// Attends from the new positions <paramref name="input"/> [B, Tn, E] to the cached ones and themselves.
    /// <paramref name="pastKeys"/>/<paramref name="pastValues"/> are [B, heads, Tp, E/heads] (null at the
    /// start). Returns the output [B, Tn, E] and the extended cache [B, heads, Tp+Tn, E/heads].
    /// </summary>
    public (Tensor output, Tensor keys, Tensor values) forward(Tensor input, Tensor? pastKeys, Tensor? pastValues)
    {
        if (input.ndim != 3 || input.size(2) != embed_dim)
            throw new ArgumentException($"CausalSelfAttention expects [B, T, {embed_dim}], got {input.Describe()}");
        if ((pastKeys is null) != (pastValues is null))
            throw new ArgumentException("CausalSelfAttention: pass both past keys and past values, or neither");
        long batch = input.size(0), steps = input.size(1), headDim = embed_dim / num_heads;
        using var scope = NewDisposeScope();
        var qkv = Check.Result(Native.mrt_tensor_linear(input.Handle, in_proj_weight.Handle, in_proj_bias?.Handle ?? 0), "linear", input, in_proj_weight);
        var parts = qkv.chunk(3, -1);
        var q = Heads(parts[0]);
        var k = Heads(parts[1]);
        var v = Heads(parts[2]);
        if (pastKeys is not null)
        {
            k = cat([pastKeys, k], 2);
            v = cat([pastValues!, v], 2);
        }
        long total = k.size(2), past = total - steps;
        var scores = q.matmul(k.transpose(-2, -1)).mul(1 / Math.Sqrt(headDim));
        // Query i sits at absolute position past + i and may see keys 0 … past + i.
        var mask = ones([steps, total], ScalarType.Bool, input.device).triu(past + 1);
        var weights = scores.masked_fill(mask, double.NegativeInfinity).softmax(-1);
        if (training && dropout > 0) weights = Check.Result(Native.mrt_nn_dropout(weights.Handle, dropout, 1), "dropout", weights);
        var merged = weights.matmul(v).transpose(1, 2).reshape(batch, steps, embed_dim);
        var output = out_proj.forward(merged);
        scope.MoveToOuter(output);
        scope.MoveToOuter(k);
        scope.MoveToOuter(v);
        return (output, k, v);

        Tensor Heads(Tensor t) => t.reshape(batch, steps, num_heads, headDim).transpose(1, 2);
    }

    /// <inheritdoc />
    protected override string ExtraRepr() => $"embed_dim={embed_dim}, num_heads={num_heads}";
}
