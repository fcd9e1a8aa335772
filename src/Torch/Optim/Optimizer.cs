namespace MetaRL.Torch.Optim;

/// <summary>Parameters that share a learning rate (PyTorch's param_groups entry).</summary>
public sealed class ParamGroup
{
    /// <summary>Creates the group.</summary>
    public ParamGroup(IEnumerable<Tensor> parameters, double lr)
    {
        Params = parameters.ToArray();
        this.lr = lr;
        initial_lr = lr;
    }

    /// <summary>The parameters (the modules' own tensors).</summary>
    public IReadOnlyList<Tensor> Params { get; }

    /// <summary>The learning rate the next step uses; schedulers set it.</summary>
    public double lr { get; set; }

    /// <summary>The learning rate schedulers scale from.</summary>
    public double initial_lr { get; set; }
}

/// <summary>
/// Base of the optimizers: parameter groups, zero_grad, and a state dict in PyTorch's layout
/// (<c>{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}</c>) so that
/// checkpoints move between the two. The trees use <see cref="OrderedDictionary{TKey, TValue}"/> for
/// dicts, <see cref="List{T}"/> for lists, object?[] for tuples, long, double, bool, string, null and Tensor.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<ParamGroup> groups;

    /// <summary>Creates the optimizer over one group.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, double lr)
    {
        if (lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), $"learning rate must be at least 0, got {lr}");
        groups = [new ParamGroup(parameters, lr)];
        if (groups[0].Params.Count == 0) throw new ArgumentException("optimizer got an empty parameter list");
    }

    /// <summary>The parameter groups.</summary>
    public IReadOnlyList<ParamGroup> param_groups => groups;

    /// <summary>Every parameter, numbered across groups as in the state dict.</summary>
    protected IEnumerable<Tensor> AllParameters => groups.SelectMany(g => g.Params);

    /// <summary>Adds a group with its own learning rate.</summary>
    public void add_param_group(IEnumerable<Tensor> parameters, double lr) => groups.Add(new ParamGroup(parameters, lr));

    /// <summary>Updates every parameter that has a gradient.</summary>
    public abstract void step();

    /// <summary>Clears (or zeroes) the gradients.</summary>
    public void zero_grad(bool set_to_none = true)
    {
        foreach (var p in AllParameters)
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

    /// <summary>The state as a PyTorch-layout tree; its tensors are new handles (free them with <see cref="torch.dispose_tensors"/>).</summary>
    public OrderedDictionary<object, object?> state_dict()
    {
        var state = new OrderedDictionary<object, object?>();
        long index = 0;
        foreach (var p in AllParameters)
        {
            var s = SaveState(p);
            if (s is not null) state.Add(index, s);
            index++;
        }
        var pgs = new List<object?>();
        index = 0;
        foreach (var g in groups)
        {
            var entry = GroupOptions(g);
            var ids = new List<object?>();
            foreach (var _ in g.Params) ids.Add(index++);
            entry["params"] = ids;
            pgs.Add(entry);
        }
        return new OrderedDictionary<object, object?> { ["state"] = state, ["param_groups"] = pgs };
    }

    /// <summary>Restores a state saved by <see cref="state_dict"/> or by PyTorch (same optimizer type and parameter shapes).</summary>
    public void load_state_dict(IReadOnlyDictionary<object, object?> stateDict)
    {
        if (!stateDict.TryGetValue("state", out var stateObj) || stateObj is not IDictionary<object, object?> state ||
            !stateDict.TryGetValue("param_groups", out var groupsObj) || groupsObj is not IList<object?> savedGroups)
            throw new ArgumentException($"{GetType().Name}.load_state_dict: expected a dict with 'state' and 'param_groups'");
        if (savedGroups.Count != groups.Count)
            throw new ArgumentException($"{GetType().Name}.load_state_dict: the checkpoint has {savedGroups.Count} parameter groups, the optimizer {groups.Count}");
        var parameters = AllParameters.ToArray();
        int offset = 0;
        for (int gi = 0; gi < groups.Count; gi++)
        {
            var saved = (IDictionary<object, object?>)savedGroups[gi]!;
            var ids = (IList<object?>)saved["params"]!;
            if (ids.Count != groups[gi].Params.Count)
                throw new ArgumentException($"{GetType().Name}.load_state_dict: group {gi} has {ids.Count} parameters in the checkpoint, {groups[gi].Params.Count} here");
            LoadGroupOptions(groups[gi], saved);
            for (int i = 0; i < ids.Count; i++)
            {
                var key = Convert.ToInt64(ids[i], System.Globalization.CultureInfo.InvariantCulture);
                var p = parameters[offset + i];
                if (state.TryGetValue(key, out var s) && s is IDictionary<object, object?> entry) LoadState(p, entry);
                else ClearState(p);
            }
            offset += ids.Count;
        }
    }

    /// <summary>A parameter's state entry, or null if it has none yet.</summary>
    protected abstract OrderedDictionary<object, object?>? SaveState(Tensor parameter);

    /// <summary>Restores a parameter's state entry (tensors are copied).</summary>
    protected abstract void LoadState(Tensor parameter, IDictionary<object, object?> entry);

    /// <summary>Forgets a parameter's state.</summary>
    protected abstract void ClearState(Tensor parameter);

    /// <summary>The group's hyperparameters in PyTorch's names.</summary>
    protected abstract OrderedDictionary<object, object?> GroupOptions(ParamGroup group);

    /// <summary>Reads the group's hyperparameters back (at least lr and initial_lr).</summary>
    protected virtual void LoadGroupOptions(ParamGroup group, IDictionary<object, object?> saved)
    {
        group.lr = ToDouble(saved["lr"]);
        group.initial_lr = saved.TryGetValue("initial_lr", out var init) && init is not null ? ToDouble(init) : group.lr;
    }

    /// <summary>A number from a state tree (long, double, bool or 0-d tensor).</summary>
    protected static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        Tensor t => t.ToDouble(),
        _ => throw new ArgumentException($"expected a number in the optimizer state, got {value ?? "None"}"),
    };

    /// <summary>A copy of a state tensor on the parameter's device, with the parameter's dtype.</summary>
    protected static Tensor StateTensor(object? value, Tensor parameter, string name)
    {
        if (value is not Tensor t) throw new ArgumentException($"optimizer state '{name}' should be a tensor, got {value ?? "None"}");
        if (!t.shape.SequenceEqual(parameter.shape))
            throw new ArgumentException($"optimizer state '{name}' has shape [{string.Join(", ", t.shape)}], the parameter [{string.Join(", ", parameter.shape)}]");
        using var typed = t.to(parameter.dtype);
        using var placed = typed.to(parameter.device);
        return placed.clone().DetachFromDisposeScope();
    }

    /// <summary>Frees the optimizer's state tensors (not the parameters).</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
