namespace MetaRL.Torch.Modules;

/// <summary>Runs its children in order; they are named "0", "1", … as in PyTorch.</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> layers = new();

    /// <summary>Creates the chain.</summary>
    public Sequential(params Module<Tensor, Tensor>[] modules)
    {
        foreach (var m in modules) append(m);
    }

    /// <summary>Adds a module at the end.</summary>
    public Sequential append(Module<Tensor, Tensor> module)
    {
        register_module(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        layers.Add(module);
        return this;
    }

    /// <summary>Number of children.</summary>
    public int Count => layers.Count;

    /// <summary>Child <paramref name="index"/>.</summary>
    public Module<Tensor, Tensor> this[int index] => layers[index];

    /// <summary>Intermediate results are freed as soon as the next layer has used them.</summary>
    public override Tensor forward(Tensor input)
    {
        if (layers.Count == 0) return input.alias();
        var x = layers[0].forward(input);
        for (int i = 1; i < layers.Count; i++)
        {
            var next = layers[i].forward(x);
            x.Dispose();
            x = next;
        }
        return x;
    }
}
