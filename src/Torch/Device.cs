namespace MetaRL.Torch;

/// <summary>Where a tensor lives. The values are libtorch's c10::DeviceType codes.</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>A device: <see cref="CPU"/> or <see cref="CUDA(int)"/>; CUDA works when the shim is built against a CUDA libtorch.</summary>
public readonly record struct Device(DeviceType Type, int Index)
{
    /// <summary>The CPU.</summary>
    public static readonly Device CPU = new(DeviceType.CPU, -1);

    /// <summary>CUDA device <paramref name="index"/>.</summary>
    public static Device CUDA(int index = 0) => new(DeviceType.CUDA, index);

    /// <summary>Parses "cpu", "cuda" or "cuda:1" (PyTorch's spelling).</summary>
    public static Device Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return CPU;
        if (t == "cuda") return CUDA();
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var i) && i >= 0) return CUDA(i);
        throw new FormatException($"device '{text}' is not one of cpu, cuda, cuda:N");
    }

    /// <inheritdoc />
    public override string ToString() => Type == DeviceType.CPU ? "cpu" : $"cuda:{Math.Max(Index, 0)}";
}
