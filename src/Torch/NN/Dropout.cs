using MetaRL.Torch.Interop;

namespace MetaRL.Torch.Modules;

/// <summary>Zeroes each element with probability p in training mode (scaling the rest by 1/(1−p)); the identity in eval mode.</summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    public Dropout(double p = 0.5)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability has to be between 0 and 1, got {p}");
        this.p = p;
    }

    /// <summary>The drop probability.</summary>
    public double p { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) =>
        Check.Result(Native.mrt_nn_dropout(input.Handle, p, training ? 1 : 0), "dropout", input);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"p={p}";
}
