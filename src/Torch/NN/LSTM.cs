using MetaRL.Torch.Interop;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Modules;

/// <summary>
/// A multi-layer LSTM running libtorch's own kernels (at::lstm, at::lstm_cell); the same shapes and
/// parameter names as PyTorch's (gates i, f, g, o; weight_ih_l0 [4H, I], …). The state is (h, c),
/// each [layers·directions, B, H].
/// </summary>
public sealed class LSTM : Module
{
    private readonly RecurrentWeights weights;

    /// <summary>Creates the layer, initialised U(−1/√H, 1/√H) as in PyTorch.</summary>
    public LSTM(long inputSize, long hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
                bool bidirectional = false, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), $"LSTM needs at least one layer, got {numLayers}");
        input_size = inputSize;
        hidden_size = hiddenSize;
        num_layers = numLayers;
        batch_first = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        this.bias = bias;
        weights = new RecurrentWeights((n, t) => register_parameter(n, t)!, 4, inputSize, hiddenSize, numLayers, bias, bidirectional, device, dtype);
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

    /// <summary>Whether a reverse-direction LSTM runs too.</summary>
    public bool bidirectional { get; }

    /// <summary>Whether the layers have biases.</summary>
    public bool bias { get; }

    /// <summary>Runs a whole batched sequence; the state defaults to zeros. Returns the outputs and (h_n, c_n).</summary>
    public unsafe (Tensor output, (Tensor h_n, Tensor c_n) state) forward(Tensor input, (Tensor h0, Tensor c0)? state = null)
    {
        if (input.ndim != 3) throw new ArgumentException($"LSTM.forward expects a batched [T, B, I] sequence, got {input.Describe()}");
        long batch = input.size(batch_first ? 0 : 1);
        using var h0z = state is null ? zeros([num_layers * (bidirectional ? 2 : 1), batch, hidden_size], input.dtype, input.device) : null;
        using var c0z = state is null ? zeros([num_layers * (bidirectional ? 2 : 1), batch, hidden_size], input.dtype, input.device) : null;
        var h0 = state?.h0 ?? h0z!;
        var c0 = state?.c0 ?? c0z!;
        nint* p = stackalloc nint[weights.Count];
        weights.CopyHandles(new Span<nint>(p, weights.Count));
        nint output, hN, cN;
        int status = Native.mrt_nn_lstm(input.Handle, h0.Handle, c0.Handle, p, weights.Count, bias ? 1 : 0, num_layers, dropout, training ? 1 : 0,
                                        bidirectional ? 1 : 0, batch_first ? 1 : 0, &output, &hN, &cN);
        GC.KeepAlive(this);
        Check.Status(status, "lstm", input, h0, c0);
        return (new Tensor(output), (new Tensor(hN), new Tensor(cN)));
    }

    /// <summary>One time step: x [B, I], state ([layers, B, H], [layers, B, H]) or zeros. Returns the top output [B, H] and the new state.</summary>
    public unsafe (Tensor output, (Tensor h_n, Tensor c_n) state) step(Tensor x, (Tensor h, Tensor c)? state = null)
    {
        if (bidirectional) throw new InvalidOperationException("LSTM.step runs one step forward in time; a bidirectional LSTM needs the whole sequence (forward)");
        using var hz = state is null ? zeros([num_layers, x.size(0), hidden_size], x.dtype, x.device) : null;
        using var cz = state is null ? zeros([num_layers, x.size(0), hidden_size], x.dtype, x.device) : null;
        var h = state?.h ?? hz!;
        var c = state?.c ?? cz!;
        var hs = new Tensor[num_layers];
        var cs = new Tensor[num_layers];
        Tensor layerInput = x;
        try
        {
            for (int l = 0; l < num_layers; l++)
            {
                using var hl = h.select(0, l);
                using var cl = c.select(0, l);
                var (wIh, wHh, bIh, bHh) = weights.Layer(l);
                nint hOut, cOut;
                int status = Native.mrt_nn_lstm_cell(layerInput.Handle, hl.Handle, cl.Handle, wIh, wHh, bIh, bHh, &hOut, &cOut);
                GC.KeepAlive(this);
                Check.Status(status, "lstm_cell", layerInput, h, c);
                hs[l] = new Tensor(hOut);
                cs[l] = new Tensor(cOut);
                if (!ReferenceEquals(layerInput, x) && !hs.Contains(layerInput)) layerInput.Dispose();
                layerInput = l < num_layers - 1 && training && dropout > 0
                    ? Check.Result(Native.mrt_nn_dropout(hs[l].Handle, dropout, 1), "dropout", hs[l])
                    : hs[l];
            }
            return (hs[^1].alias(), (stack(hs), stack(cs)));
        }
        finally
        {
            foreach (var t in hs) t?.Dispose();
            foreach (var t in cs) t?.Dispose();
        }
    }

    /// <inheritdoc />
    protected override string ExtraRepr() =>
        $"{input_size}, {hidden_size}" + (num_layers != 1 ? $", num_layers={num_layers}" : "") + (batch_first ? ", batch_first=True" : "");
}
