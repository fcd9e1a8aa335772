using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Modules;

/// <summary>
/// The parameters of a multi-layer (bi)directional GRU or LSTM, named and ordered as PyTorch's
/// (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, …_reverse), which is also the flat order
/// libtorch's at::gru / at::lstm take.
/// </summary>
internal sealed class RecurrentWeights
{
    private readonly List<Tensor> flat = new();

    internal RecurrentWeights(Func<string, Tensor, Tensor> register, int gates, long inputSize, long hiddenSize, int numLayers,
                              bool bias, bool bidirectional, Device? device, ScalarType dtype)
    {
        int directions = bidirectional ? 2 : 1;
        double bound = 1 / Math.Sqrt(hiddenSize);
        for (int layer = 0; layer < numLayers; layer++)
        {
            long layerInput = layer == 0 ? inputSize : hiddenSize * directions;
            for (int d = 0; d < directions; d++)
            {
                string suffix = $"l{layer}{(d == 1 ? "_reverse" : "")}";
                Add(register, $"weight_ih_{suffix}", [gates * hiddenSize, layerInput]);
                Add(register, $"weight_hh_{suffix}", [gates * hiddenSize, hiddenSize]);
                if (bias)
                {
                    Add(register, $"bias_ih_{suffix}", [gates * hiddenSize]);
                    Add(register, $"bias_hh_{suffix}", [gates * hiddenSize]);
                }
            }
        }
        PerLayer = bias ? 4 : 2;

        void Add(Func<string, Tensor, Tensor> reg, string name, long[] shape)
        {
            var t = reg(name, empty(shape, dtype, device));
            nn.init.uniform_(t, -bound, bound);
            flat.Add(t);
        }
    }

    /// <summary>Tensors per layer and direction: 4 with biases, else 2.</summary>
    internal int PerLayer { get; }

    internal int Count => flat.Count;

    internal Tensor this[int index] => flat[index];

    /// <summary>Fills <paramref name="handles"/> with the native handles in libtorch's order.</summary>
    internal void CopyHandles(Span<nint> handles)
    {
        for (int i = 0; i < flat.Count; i++) handles[i] = flat[i].Handle;
    }

    /// <summary>(w_ih, w_hh, b_ih, b_hh) of one unidirectional layer; biases are 0 handles without bias.</summary>
    internal (nint wIh, nint wHh, nint bIh, nint bHh) Layer(int layer)
    {
        int i = layer * PerLayer;
        return (flat[i].Handle, flat[i + 1].Handle, PerLayer == 4 ? flat[i + 2].Handle : 0, PerLayer == 4 ? flat[i + 3].Handle : 0);
    }
}
