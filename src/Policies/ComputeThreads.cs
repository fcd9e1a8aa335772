using static MetaRL.Torch.torch;

namespace MetaRL.Policies;

/// <summary>
/// libtorch's intra-op thread count is a setting of the calling thread (OpenMP's), not of the process: whoever
/// runs models on a thread of its own (an inference batcher, the learner) sets it there, once, before the first
/// forward pass.
/// </summary>
public static class ComputeThreads
{
    public static void UseOnThisThread(int threads) => set_num_threads(threads);
}
