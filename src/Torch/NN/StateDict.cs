namespace MetaRL.Torch.Modules;

/// <summary>Tensors by dotted name in insertion order (PyTorch's state dict); disposing it frees every tensor in it.</summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly OrderedDictionary<string, Tensor> entries = new();

    /// <summary>
    /// Wraps what <see cref="torch.load(string, Device?)"/> returned for a saved state dict (name → tensor),
    /// taking ownership of its tensors. Anything else is an error that names the offending entry, and
    /// then the tree's tensors are freed.
    /// </summary>
    public static StateDict From(object? tree)
    {
        var result = new StateDict();
        try
        {
            if (tree is not System.Collections.IDictionary dict)
                throw new ArgumentException($"expected a state dict (a dict of name → tensor), got {tree?.GetType().Name ?? "None"}");
            foreach (System.Collections.DictionaryEntry kv in dict)
            {
                if (kv.Key is not string name || kv.Value is not Tensor t)
                    throw new ArgumentException($"state dict entry '{kv.Key}' holds {kv.Value?.GetType().Name ?? "None"}, expected a string name and a tensor");
                result.Add(name, t.DetachFromDisposeScope());
            }
            return result;
        }
        catch
        {
            result.entries.Clear();
            torch.dispose_tensors(tree);
            throw;
        }
    }

    /// <summary>Adds an entry; the dictionary now owns the tensor.</summary>
    public void Add(string name, Tensor tensor) => entries.Add(name, tensor);

    /// <inheritdoc />
    public Tensor this[string key] => entries[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => entries.Keys;

    /// <inheritdoc />
    public IEnumerable<Tensor> Values => entries.Values;

    /// <inheritdoc />
    public int Count => entries.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => entries.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) => entries.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Frees every tensor.</summary>
    public void Dispose()
    {
        foreach (var t in entries.Values) t.Dispose();
        entries.Clear();
    }
}
