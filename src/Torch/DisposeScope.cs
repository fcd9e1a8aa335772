namespace MetaRL.Torch;

/// <summary>
/// Frees, when disposed, every tensor created on this thread while it was the innermost scope
/// (TorchSharp's <c>torch.NewDisposeScope()</c>). A training step runs in one so that its
/// intermediates, gradients read back and temporaries never wait for the garbage collector.
/// Keep a result with <see cref="MoveToOuter"/> or <see cref="Detach"/>.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly DisposeScope? outer;
    private readonly List<Tensor> owned = new();
    private bool disposed;

    internal DisposeScope()
    {
        outer = current;
        current = this;
    }

    /// <summary>The innermost open scope of this thread, or null.</summary>
    public static DisposeScope? Current => current;

    /// <summary>How many live tensors this scope will free.</summary>
    public int Count => owned.Count;

    internal static void Register(Tensor tensor) => current?.Add(tensor);

    private void Add(Tensor tensor)
    {
        tensor.Scope = this;
        tensor.ScopeIndex = owned.Count;
        owned.Add(tensor);
    }

    // O(1): the last entry takes the removed one's place.
    internal void Remove(Tensor tensor)
    {
        int i = tensor.ScopeIndex;
        int last = owned.Count - 1;
        if (i < 0 || i > last || !ReferenceEquals(owned[i], tensor)) return;
        var moved = owned[last];
        owned[i] = moved;
        moved.ScopeIndex = i;
        owned.RemoveAt(last);
        tensor.Scope = null;
        tensor.ScopeIndex = -1;
    }

    /// <summary>Hands the tensor to the enclosing scope (or to no scope), so it outlives this one.</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        if (tensor.Scope != this) return tensor;
        Remove(tensor);
        if (outer is { disposed: false }) outer.Add(tensor);
        return tensor;
    }

    /// <summary>Takes the tensor out of every scope: the caller disposes it.</summary>
    public Tensor Detach(Tensor tensor)
    {
        tensor.Scope?.Remove(tensor);
        return tensor;
    }

    /// <summary>Frees every tensor the scope still owns and closes the scope.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        // Scopes nest: an inner scope left open is closed with this one.
        if (current == this) current = outer;
        for (int i = owned.Count - 1; i >= 0; i--)
        {
            var t = owned[i];
            t.Scope = null;
            t.ScopeIndex = -1;
            t.Dispose();
        }
        owned.Clear();
    }
}
