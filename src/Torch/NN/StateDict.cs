namespace MetaRL.Torch.Modules;

/// <summary>Tensors by dotted name in insertion order (PyTorch's state dict); disposing it frees every tensor in it.</summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly OrderedDictionary<string, Tensor> entries = new();

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
