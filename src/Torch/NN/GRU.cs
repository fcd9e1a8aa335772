using MetaRL.Torch.Interop;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Modules;

/// <summary>
/// A multi-layer GRU running libtorch's own kernels (at::gru, at::gru_cell). <see cref="forward"/>
/// takes a whole sequence [T, B, I] ([B, T, I] with batch_first); <see cref="step"/> advances one
/// time step [B, I] — what an inference batcher calls. Hidden state h is [layers·directions, B, H].
/// Parameters are PyTorch's: weight_ih_l0 [3H, I], weight_hh_l0 [3H, H], bias_ih_l0, bias_hh_l0, …
/// </summary>
public sealed class GRU : Module
{
    private readonly RecurrentWeights weights;

    /// <summary>Creates the layer, initialised U(−1/√H, 1/√H) as in PyTorch.</summary>
    public GRU(long inputSize, long hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
               bool bidirectional = false, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), $"GRU needs at least one layer, got {numLayers}");
        input_size = inputSize;
        hidden_size = hiddenSize;
        num_layers = numLayers;
        batch_first = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        weights = new RecurrentWeights((n, t) => register_parameter(n, t)!, 3, inputSize, hiddenSize, numLayers, bias, bidirectional, device, dtype);
        this.bias = bias;
    }

    /// <summary>Input features.</summary>
    public long input_size { get; }

    /// <summary>Hidden units.</summary>
    public long hidden_size { get; }

    /// <summary>Stacked layers.</summary>
    public int num_layers { get; }

    /// <summary>Whether sequences are [B, T, I] rather than [T, B, I].</summary>
    public bool batch_first { get; }

    /// <summary>Dropout between layers in training mode.</summary>
    public double dropout { get; }

    /// <summary>Whether a reverse-direction GRU runs too (outputs are concatenated).</summary>
    public bool bidirectional { get; }

    /// <summary>Whether the layers have biases.</summary>
    public bool bias { get; }

    /// <summary>
    /// Runs the whole sequence. <paramref name="h0"/> defaults to zeros. Returns every step's top-layer
    /// output [T, B, D·H] and the final hidden state [layers·D, B, H]. An unbatched [T, I] input is accepted.
    /// </summary>
    public unsafe (Tensor output, Tensor h_n) forward(Tensor input, Tensor? h0 = null)
    {
        bool unbatched = input.ndim == 2;
        using var batched = unbatched ? input.unsqueeze(batch_first ? 0 : 1) : null;
        var x = batched ?? input;
        using var hBatched = unbatched && h0 is not null ? h0.unsqueeze(1) : null;
        using var zerosH = h0 is null ? InitialState(x) : null;
        var h = hBatched ?? h0 ?? zerosH!;
        nint* p = stackalloc nint[weights.Count];
        weights.CopyHandles(new Span<nint>(p, weights.Count));
        nint output, hN;
        int status = Native.mrt_nn_gru(x.Handle, h.Handle, p, weights.Count, bias ? 1 : 0, num_layers, dropout, training ? 1 : 0,
                                       bidirectional ? 1 : 0, batch_first ? 1 : 0, &output, &hN);
        GC.KeepAlive(this);
        Check.Status(status, "gru", x, h);
        var o = new Tensor(output);
        var hn = new Tensor(hN);
        if (!unbatched) return (o, hn);
        using (o)
        using (hn)
            return (o.squeeze(batch_first ? 0 : 1), hn.squeeze(1));
    }

    /// <summary>
    /// One time step for a batch: x [B, I], h [layers, B, H] (zeros when null). Returns the top layer's
    /// output [B, H] and the new hidden state [layers, B, H]. Unidirectional GRUs only.
    /// </summary>
    public (Tensor output, Tensor h_n) step(Tensor x, Tensor? h = null)
    {
        if (bidirectional) throw new InvalidOperationException("GRU.step runs one step forward in time; a bidirectional GRU needs the whole sequence (forward)");
        using var zerosH = h is null ? zeros([num_layers, x.size(0), hidden_size], x.dtype, x.device) : null;
        var hidden = h ?? zerosH!;
        if (num_layers == 1)
        {
            using var h0 = hidden.select(0, 0);
            var (wIh, wHh, bIh, bHh) = weights.Layer(0);
            var next = Native.mrt_nn_gru_cell(x.Handle, h0.Handle, wIh, wHh, bIh, bHh);
            GC.KeepAlive(this);
            var output = Check.Result(next, "gru_cell", x, hidden);
            return (output, output.unsqueeze(0));
        }
        var layers = new Tensor[num_layers];
        Tensor layerInput = x;
        try
        {
            for (int l = 0; l < num_layers; l++)
            {
                using var hl = hidden.select(0, l);
                var (wIh, wHh, bIh, bHh) = weights.Layer(l);
                layers[l] = Check.Result(Native.mrt_nn_gru_cell(layerInput.Handle, hl.Handle, wIh, wHh, bIh, bHh), "gru_cell", layerInput, hidden);
                GC.KeepAlive(this);
                if (!ReferenceEquals(layerInput, x) && !layers.Contains(layerInput)) layerInput.Dispose();
                layerInput = l < num_layers - 1 && training && dropout > 0
                    ? Check.Result(Native.mrt_nn_dropout(layers[l].Handle, dropout, 1), "dropout", layers[l])
                    : layers[l];
            }
            return (layers[^1].alias(), stack(layers));
        }
        finally
        {
            foreach (var t in layers) t?.Dispose();
        }
    }

    /// <summary>
    /// Every step's output [T, B, H] of a one-layer, forward GRU over x [T, B, I] from h0 [1, B, H]: what
    /// <see cref="step"/> computes, step after step. On the CPU in float32 with biases it runs the shim's fused
    /// sequence (one product and one pass over the gates a step, forward and backward, and the weights'
    /// gradients as one product over all steps); elsewhere, <see cref="step"/> in a loop.
    /// </summary>
    public Tensor sequence(Tensor x, Tensor h0)
    {
        if (num_layers != 1 || bidirectional) throw new InvalidOperationException("GRU.sequence runs one layer forward in time; use forward");
        if (x.ndim != 3) throw new ArgumentException($"GRU.sequence takes x [T, B, I], got [{string.Join(", ", x.shape)}]", nameof(x));
        var (wIh, wHh, bIh, bHh) = weights.Layer(0);
        if (bias && x.dtype == ScalarType.Float32 && x.device.Type == DeviceType.CPU && h0.device.Type == DeviceType.CPU && h0.dtype == ScalarType.Float32)
        {
            var fused = Native.mrt_nn_gru_sequence(x.Handle, h0.Handle, wIh, wHh, bIh, bHh);
            GC.KeepAlive(this);
            return Check.Result(fused, "gru_sequence", x, h0);
        }
        long steps = x.shape[0];
        var outputs = new Tensor[steps];
        var h = h0;
        try
        {
            for (long t = 0; t < steps; t++)
            {
                using var xt = x[t];
                var (output, hNext) = step(xt, h);
                outputs[t] = output;
                if (!ReferenceEquals(h, h0)) h.Dispose();
                h = hNext;
            }
            return stack(outputs, 0);
        }
        finally
        {
            foreach (var o in outputs) o?.Dispose();
            if (!ReferenceEquals(h, h0)) h.Dispose();
        }
    }

    private Tensor InitialState(Tensor batchedInput)
    {
        long batch = batchedInput.size(batch_first ? 0 : 1);
        return zeros([num_layers * (bidirectional ? 2 : 1), batch, hidden_size], batchedInput.dtype, batchedInput.device);
    }

    /// <inheritdoc />
    protected override string ExtraRepr() =>
        $"{input_size}, {hidden_size}" + (num_layers != 1 ? $", num_layers={num_layers}" : "") + (batch_first ? ", batch_first=True" : "") +
        (bidirectional ? ", bidirectional=True" : "");
}
