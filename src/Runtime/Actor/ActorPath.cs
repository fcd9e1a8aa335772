using System.Text;

namespace MetaRL.Runtime;

/// <summary>
/// The name of an actor in its system's hierarchy: <c>metarl://sys/user/population/agent-17</c>.
/// Paths compare by value (system and elements); two incarnations of an actor share a path, not a ref.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    /// <summary>The scheme of printed paths, as Akka prints <c>akka://</c>.</summary>
    public const string Scheme = "metarl";

    private ActorPath(string system, ActorPath? parent, string name)
    {
        SystemName = system;
        Parent = parent;
        Name = name;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    /// <summary>The name of the actor system.</summary>
    public string SystemName { get; }

    /// <summary>The parent path; null for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element ("agent-17"); empty for the root.</summary>
    public string Name { get; }

    /// <summary>Number of elements below the root.</summary>
    public int Depth { get; }

    /// <summary>The root path of a system: <c>metarl://name/</c>.</summary>
    public static ActorPath Root(string systemName) => new(systemName, null, "");

    /// <summary>The path of a child of this path.</summary>
    public ActorPath Child(string name) => new(SystemName, this, name);

    /// <summary>The path of a child of <paramref name="parent"/>.</summary>
    public static ActorPath operator /(ActorPath parent, string name) => parent.Child(name);

    /// <summary>The elements below the root, top first: ["user", "population", "agent-17"].</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new string[Depth];
            for (var p = this; p.Parent is not null; p = p.Parent) elements[p.Depth - 1] = p.Name;
            return elements;
        }
    }

    /// <summary>The path without the system address: <c>/user/population/agent-17</c>.</summary>
    public string ToStringWithoutAddress()
    {
        if (Depth == 0) return "/";
        var sb = new StringBuilder();
        foreach (var e in Elements) sb.Append('/').Append(e);
        return sb.ToString();
    }

    /// <summary>The full path: <c>metarl://sys/user/population/agent-17</c>.</summary>
    public override string ToString() => $"{Scheme}://{SystemName}{(Depth == 0 ? "/" : ToStringWithoutAddress())}";

    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.Depth != Depth || other.SystemName != SystemName) return false;
        for (ActorPath? a = this, b = other; a is not null && b is not null; a = a.Parent, b = b.Parent)
            if (a.Name != b.Name) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is ActorPath p && Equals(p);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(SystemName);
        for (var p = this; p is not null; p = p.Parent) h.Add(p.Name);
        return h.ToHashCode();
    }
}
