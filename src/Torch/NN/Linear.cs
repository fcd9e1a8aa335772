using MetaRL.Torch.Interop;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Modules;

/// <summary>y = x·Wᵀ + b over the last dimension. Parameters "weight" [out, in] and "bias" [out], initialised as in PyTorch.</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    public Linear(long inFeatures, long outFeatures, bool hasBias = true, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        in_features = inFeatures;
        out_features = outFeatures;
        weight = register_parameter("weight", empty([outFeatures, inFeatures], dtype, device))!;
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        if (hasBias)
        {
            double bound = inFeatures > 0 ? 1 / Math.Sqrt(inFeatures) : 0;
            bias = register_parameter("bias", empty([outFeatures], dtype, device));
            nn.init.uniform_(bias!, -bound, bound);
        }
        else
        {
            register_parameter("bias", null);
        }
    }

    /// <summary>Input features.</summary>
    public long in_features { get; }

    /// <summary>Output features.</summary>
    public long out_features { get; }

    /// <summary>[out, in].</summary>
    public Tensor weight { get; }

    /// <summary>[out], or null.</summary>
    public Tensor? bias { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) =>
        Check.Result(Native.mrt_tensor_linear(input.Handle, weight.Handle, bias?.Handle ?? 0), "linear", input, weight);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"in_features={in_features}, out_features={out_features}, bias={(bias is not null ? "True" : "False")}";
}
