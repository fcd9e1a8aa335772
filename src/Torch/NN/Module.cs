namespace MetaRL.Torch.Modules;

/// <summary>
/// A network part, shaped like PyTorch's <c>nn.Module</c>: registered parameters, buffers and
/// children in registration order, dotted names ("encoder.weight") that match PyTorch's, so
/// state dicts move between the two. The module owns its parameters: they leave any
/// <see cref="DisposeScope"/> when registered and are freed by <see cref="Dispose"/>.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor? Tensor)> ownParameters = new();
    private readonly List<(string Name, Tensor Tensor, bool Persistent)> ownBuffers = new();
    private readonly List<(string Name, Module Module)> ownChildren = new();
    private bool disposed;

    /// <summary>Whether the module is in training mode (dropout active).</summary>
    public bool training { get; private set; } = true;

    /// <summary>The class name, as PyTorch prints it.</summary>
    public virtual string GetName() => GetType().Name;

    /// <summary>Registers a parameter (null registers "no parameter", like a Linear without bias). It will require grad.</summary>
    protected Tensor? register_parameter(string name, Tensor? parameter, bool requiresGrad = true)
    {
        CheckName(name);
        if (parameter is not null)
        {
            parameter.DetachFromDisposeScope();
            if (requiresGrad && !parameter.requires_grad) parameter.requires_grad_(true);
        }
        ownParameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Registers a buffer: state that is not trained (running statistics, masks). Persistent ones are in the state dict.</summary>
    protected Tensor register_buffer(string name, Tensor buffer, bool persistent = true)
    {
        CheckName(name);
        buffer.DetachFromDisposeScope();
        ownBuffers.Add((name, buffer, persistent));
        return buffer;
    }

    /// <summary>Registers a child module.</summary>
    protected T register_module<T>(string name, T module) where T : Module
    {
        CheckName(name);
        ownChildren.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"{GetName()}: '{name}' is not a valid member name (empty or contains '.')");
        if (ownParameters.Any(p => p.Name == name) || ownBuffers.Any(b => b.Name == name) || ownChildren.Any(c => c.Name == name))
            throw new ArgumentException($"{GetName()}: '{name}' is already registered");
    }

    /// <summary>Parameters with dotted names, this module's first, then each child's in order.</summary>
    public IEnumerable<(string name, Tensor parameter)> named_parameters(bool recurse = true)
    {
        foreach (var (name, p) in ownParameters)
            if (p is not null) yield return (name, p);
        if (!recurse) yield break;
        foreach (var (childName, child) in ownChildren)
            foreach (var (name, p) in child.named_parameters())
                yield return ($"{childName}.{name}", p);
    }

    /// <summary>All parameters (the module's own tensors: do not dispose them).</summary>
    public IEnumerable<Tensor> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

    /// <summary>Buffers with dotted names.</summary>
    public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true) =>
        NamedBuffers(recurse, persistentOnly: false);

    /// <summary>All buffers.</summary>
    public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer);

    private IEnumerable<(string name, Tensor buffer)> NamedBuffers(bool recurse, bool persistentOnly)
    {
        foreach (var (name, b, persistent) in ownBuffers)
            if (persistent || !persistentOnly) yield return (name, b);
        if (!recurse) yield break;
        foreach (var (childName, child) in ownChildren)
            foreach (var (name, b) in child.NamedBuffers(true, persistentOnly))
                yield return ($"{childName}.{name}", b);
    }

    /// <summary>Direct children with their names.</summary>
    public IEnumerable<(string name, Module module)> named_children() => ownChildren.Select(c => (c.Name, c.Module));

    /// <summary>Direct children.</summary>
    public IEnumerable<Module> children() => ownChildren.Select(c => c.Module);

    /// <summary>This module ("") and every descendant with dotted names.</summary>
    public IEnumerable<(string name, Module module)> named_modules()
    {
        yield return ("", this);
        foreach (var (childName, child) in ownChildren)
            foreach (var (name, m) in child.named_modules())
                yield return (name.Length == 0 ? childName : $"{childName}.{name}", m);
    }

    /// <summary>Training mode on (or off) for this module and every descendant.</summary>
    public virtual Module train(bool mode = true)
    {
        training = mode;
        foreach (var (_, child) in ownChildren) child.train(mode);
        return this;
    }

    /// <summary>Evaluation mode: <c>train(false)</c>.</summary>
    public Module eval() => train(false);

    /// <summary>Clears (or zeroes) every parameter's gradient.</summary>
    public void zero_grad(bool set_to_none = true)
    {
        foreach (var p in parameters())
        {
            if (set_to_none)
            {
                p.grad = null;
                continue;
            }
            using var g = p.grad;
            g?.zero_();
        }
    }

    /// <summary>
    /// Parameters and persistent buffers by dotted name, as new detached handles that share storage
    /// with the module (PyTorch's semantics). Dispose the result when done.
    /// </summary>
    public StateDict state_dict()
    {
        var result = new StateDict();
        foreach (var (name, p) in named_parameters()) result.Add(name, p.detach().DetachFromDisposeScope());
        foreach (var (name, b) in NamedBuffers(true, persistentOnly: true)) result.Add(name, b.detach().DetachFromDisposeScope());
        return result;
    }

    /// <summary>
    /// Copies values into the module's own tensors (in place, so optimizers keep their references).
    /// With <paramref name="strict"/>, missing and unexpected keys are errors; shape mismatches always are.
    /// Nothing is copied unless every entry fits.
    /// </summary>
    public (IReadOnlyList<string> missing, IReadOnlyList<string> unexpected) load_state_dict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = named_parameters().Concat(NamedBuffers(true, persistentOnly: true)).ToList();
        var missing = own.Where(o => !state.ContainsKey(o.Item1)).Select(o => o.Item1).ToList();
        var ownNames = own.Select(o => o.Item1).ToHashSet();
        var unexpected = state.Keys.Where(k => !ownNames.Contains(k)).ToList();
        var errors = new List<string>();
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source)) continue;
            var want = target.shape;
            var have = source.shape;
            if (!want.SequenceEqual(have))
                errors.Add($"size mismatch for {name}: copying a param with shape [{string.Join(", ", have)}] from checkpoint, the shape in current model is [{string.Join(", ", want)}]");
        }
        if (strict)
        {
            if (missing.Count > 0) errors.Add($"Missing key(s) in state_dict: {string.Join(", ", missing.Select(m => $"\"{m}\""))}");
            if (unexpected.Count > 0) errors.Add($"Unexpected key(s) in state_dict: {string.Join(", ", unexpected.Select(m => $"\"{m}\""))}");
        }
        if (errors.Count > 0)
            throw new InvalidOperationException($"Error(s) in loading state_dict for {GetName()}:\n\t{string.Join("\n\t", errors)}");
        using (torch.no_grad())
        {
            foreach (var (name, target) in own)
                if (state.TryGetValue(name, out var source)) target.copy_(source);
        }
        return (missing, unexpected);
    }

    /// <summary>Saves <see cref="state_dict"/> where Python's <c>torch.load</c> reads it (TorchSharp's <c>module.save</c>).</summary>
    public Module save(string path)
    {
        using var state = state_dict();
        torch.save(state, path);
        return this;
    }

    /// <summary>Loads a state dict saved by <see cref="save"/> or by Python's <c>torch.save(model.state_dict(), path)</c>.</summary>
    public Module load(string path, bool strict = true)
    {
        using var state = StateDict.From(torch.load(path));
        load_state_dict(state, strict);
        return this;
    }

    /// <summary>Moves every parameter and buffer to <paramref name="device"/> in place (the tensors keep their identity).</summary>
    public Module to(Device device) => Convert(t => t.to(device));

    /// <summary>Converts every floating-point parameter and buffer to <paramref name="type"/> in place.</summary>
    public Module to(ScalarType type) => Convert(t => t.dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16 ? t.to(type) : t.alias());

    private Module Convert(Func<Tensor, Tensor> convert)
    {
        using (torch.no_grad())
        {
            foreach (var t in parameters().Concat(buffers()))
            {
                using var converted = convert(t);
                t.SetData(converted);
            }
        }
        return this;
    }

    /// <summary>Frees every parameter, buffer and child.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Dispose(true);
        foreach (var (_, p) in ownParameters) p?.Dispose();
        foreach (var (_, b, _) in ownBuffers) b.Dispose();
        foreach (var (_, c) in ownChildren) c.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what a subclass owns beyond its registered members.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The module tree, one line per module, like PyTorch's repr.</summary>
    public override string ToString()
    {
        var lines = new List<string>();
        Print(lines, "", "");
        return string.Join("\n", lines);
    }

    private void Print(List<string> lines, string indent, string prefix)
    {
        var extra = ExtraRepr();
        if (ownChildren.Count == 0)
        {
            lines.Add($"{indent}{prefix}{GetName()}({extra})");
            return;
        }
        lines.Add($"{indent}{prefix}{GetName()}({extra}");
        foreach (var (name, child) in ownChildren) child.Print(lines, indent + "  ", $"({name}): ");
        lines.Add($"{indent})");
    }

    /// <summary>The settings PyTorch prints inside the parentheses.</summary>
    protected virtual string ExtraRepr() => "";
}

/// <summary>A module with one input and one output, called through <see cref="call"/> or <see cref="forward"/>.</summary>
public abstract class Module<TInput, TOutput> : Module
{
    /// <summary>The computation.</summary>
    public abstract TOutput forward(TInput input);

    /// <summary>Runs <see cref="forward"/> (PyTorch's <c>module(x)</c>).</summary>
    public TOutput call(TInput input) => forward(input);
}
