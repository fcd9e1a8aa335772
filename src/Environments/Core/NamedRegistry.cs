namespace MetaRL.Environments;

/// <summary>
/// A list of named entries that user code may add to (the env families of <see cref="EnvCatalog"/>, the models of the
/// model catalog): built-in entries first, then registered ones in order. Names compare without case. The list is
/// replaced whole on each registration, so readers on other threads (actors building envs and models) see the old
/// list or the new one, never one half-written.
/// </summary>
public sealed class NamedRegistry<T>(IEnumerable<T> builtIn, Func<T, string> name, Func<T, string> summary, string what, string example) where T : class
{
    private readonly object _gate = new();
    private T[] _all = builtIn.ToArray();

    public IReadOnlyList<T> All => Volatile.Read(ref _all);

    public IReadOnlyList<string> Names => All.Select(name).ToArray();

    /// <summary>
    /// Adds <paramref name="entry"/>. The same instance again does nothing (tests and extensions may register at every
    /// start); another entry under a name the registry holds is an <see cref="ArgumentException"/>: a name always means one thing.
    /// </summary>
    public void Register(T entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string n = name(entry);
        if (string.IsNullOrWhiteSpace(n) || n.Any(char.IsWhiteSpace))
            throw new ArgumentException($"{what} name '{n}': expected a name without spaces, e.g. {example}", nameof(entry));
        lock (_gate)
        {
            var known = Find(n);
            if (ReferenceEquals(known, entry)) return;
            if (known is not null) throw new ArgumentException($"{what} '{n}' is already registered ({summary(known)}); pick another name", nameof(entry));
            Volatile.Write(ref _all, [.. _all, entry]);
        }
    }

    public bool TryGet(string n, out T entry)
    {
        entry = Find(n)!;
        return entry is not null;
    }

    private T? Find(string n) => All.FirstOrDefault(e => string.Equals(name(e), n, StringComparison.OrdinalIgnoreCase));
}
