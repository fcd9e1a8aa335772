using MetaRL.Policies;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>A <see cref="RecordingTrainer"/> whose update <paramref name="gatedUpdate"/> (from 1) waits until <see cref="Release"/>: the learner stays busy, and a lockstep round waits for it.</summary>
internal sealed class GatedTrainer(int gatedUpdate) : IPolicyTrainer
{
    private readonly ManualResetEventSlim _gate = new(false);

    public RecordingTrainer Inner { get; } = new();

    public void Release() => _gate.Set();

    public UpdateResult Update(IReadOnlyList<Trajectory> trials, double progress)
    {
        int update;
        lock (Inner.Batches) update = Inner.Batches.Count + 1;
        if (update == gatedUpdate && !_gate.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("the test never released the gated update");
        return Inner.Update(trials, progress);
    }

    public float[] GetParameters() => Inner.GetParameters();

    public void Dispose() => _gate.Dispose();
}
