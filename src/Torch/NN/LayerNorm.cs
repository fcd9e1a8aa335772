using MetaRL.Torch.Interop;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Modules;

/// <summary>Normalises over the trailing <c>normalized_shape</c> dimensions, then scales by "weight" and shifts by "bias".</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly long[] shape;

    /// <summary>Creates the layer.</summary>
    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        shape = normalizedShape.ToArray();
        this.eps = eps;
        if (elementwiseAffine)
        {
            weight = register_parameter("weight", ones(shape, dtype, device));
            bias = register_parameter("bias", zeros(shape, dtype, device));
        }
    }

    /// <summary>ε added to the variance.</summary>
    public double eps { get; }

    /// <summary>The scale, or null.</summary>
    public Tensor? weight { get; }

    /// <summary>The shift, or null.</summary>
    public Tensor? bias { get; }

    /// <inheritdoc />
    public override unsafe Tensor forward(Tensor input)
    {
        fixed (long* s = shape)
            return Check.Result(Native.mrt_nn_layer_norm(input.Handle, s, shape.Length, weight?.Handle ?? 0, bias?.Handle ?? 0, eps), "layer_norm", input, weight);
    }

    /// <inheritdoc />
    protected override string ExtraRepr() => $"({string.Join(", ", shape)},), eps={eps}";
}
