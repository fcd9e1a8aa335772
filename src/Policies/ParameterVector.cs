using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies;

/// <summary>
/// A module's parameters as one flat float vector, in <c>named_parameters()</c> order: how a learner broadcasts
/// weights to batchers in-process (one array, shared read-only by every receiver).
/// </summary>
public static class ParameterVector
{
    public static int Count(Module module)
    {
        long n = 0;
        foreach (var p in module.parameters()) n += p.numel();
        return checked((int)n);
    }

    public static float[] Get(Module module)
    {
        var flat = new float[Count(module)];
        int offset = 0;
        foreach (var p in module.parameters())
        {
            int n = (int)p.numel();
            using var d = p.detach();
            d.CopyTo(flat.AsSpan(offset, n));
            offset += n;
        }
        return flat;
    }

    public static void Load(Module module, ReadOnlySpan<float> flat)
    {
        int expected = Count(module);
        if (flat.Length != expected)
            throw new ArgumentException($"parameter vector holds {flat.Length} floats but the module has {expected}");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int offset = 0;
        foreach (var p in module.parameters())
        {
            int n = (int)p.numel();
            p.copy_(tensor(flat.Slice(offset, n), p.shape));
            offset += n;
        }
    }
}
