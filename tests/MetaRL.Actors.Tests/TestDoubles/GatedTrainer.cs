using MetaRL.Policies;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>A <see cref="RecordingTrainer"/> whose update <paramref name="gatedUpdate"/> (from 1) waits until <see cref="Release"/>: the learner stays busy, and a lockstep round waits for it.</summary>
internal sealed class GatedTrainer(int gatedUpdate) : IPolicyTrainer
{
    private readonly ManualResetEventSlim _gate = new(false);

    public RecordingTrainer Inner { get; } = new();

    public void Release() => _gate.Set();

    public UpdateResult Update(IReadOnlyList<Trajectory> trials, long update, double progress)
    {
        int count;
        lock (Inner.Batches) count = Inner.Batches.Count + 1;
        if (count == gatedUpdate && !_gate.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("the test never released the gated update");
        return Inner.Update(trials, update, progress);
    }

    public float[] GetParameters() => Inner.GetParameters();

    public void SaveState(Stream destination) => Inner.SaveState(destination);

    public void LoadState(Stream source) => Inner.LoadState(source);

    public void Dispose() => _gate.Dispose();
}
