using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests;

/// <summary>The live-tensor count once garbage from earlier tests was finalized: a finalizer frees
/// an undisposed tensor on its own thread, at any moment, so a test that counts tensors
/// starts from here, not from the raw count.</summary>
internal static class Live
{
    public static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return LiveTensorCount;
    }
}
