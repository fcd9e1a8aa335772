namespace MetaRL.Torch.Modules;

/// <summary>ReLU as a module (for <see cref="Sequential"/>).</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor forward(Tensor input) => input.relu();
}

/// <summary>tanh as a module.</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor forward(Tensor input) => input.tanh();
}

/// <summary>The logistic sigmoid as a module.</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor forward(Tensor input) => input.sigmoid();
}

/// <summary>GELU (exact, erf form) as a module.</summary>
public sealed class GELU : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor forward(Tensor input) => input.gelu();
}

/// <summary>The identity.</summary>
public sealed class Identity : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    public override Tensor forward(Tensor input) => input.alias();
}
