using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

/// <summary>A seeded CPU random number generator, for reproducible draws independent of the global seed.</summary>
public sealed class Generator : IDisposable
{
    private nint handle;

    /// <summary>A generator seeded with <paramref name="seed"/>.</summary>
    public Generator(ulong seed)
    {
        handle = Native.mrt_generator_new(seed);
        if (handle == 0) throw Check.Error("Generator");
    }

    /// <summary>Safety net.</summary>
    ~Generator() => Free();

    internal nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(Generator));

    /// <summary>Restarts the stream at <paramref name="seed"/>.</summary>
    public Generator manual_seed(ulong seed)
    {
        Check.Status(Native.mrt_generator_set_seed(Handle, seed), "manual_seed");
        return this;
    }

    /// <summary>Frees the native generator.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        var h = Interlocked.Exchange(ref handle, 0);
        if (h != 0) Native.mrt_generator_free(h);
    }
}
