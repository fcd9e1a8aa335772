using MetaRL.Policies;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>A <see cref="RecordingTrainer"/> that throws on its <paramref name="failingUpdate"/>-th update (counted from 1), as a learner bug would.</summary>
internal sealed class ThrowingTrainer(int failingUpdate) : IPolicyTrainer
{
    private readonly RecordingTrainer _inner = new();

    public UpdateResult Update(IReadOnlyList<Trajectory> trials, long update, double progress) =>
        _inner.Batches.Count + 1 == failingUpdate
            ? throw new InvalidOperationException($"simulated trainer failure at update {failingUpdate}")
            : _inner.Update(trials, update, progress);

    public float[] GetParameters() => _inner.GetParameters();

    public void SaveState(Stream destination) => _inner.SaveState(destination);

    public void LoadState(Stream source) => _inner.LoadState(source);

    public void Dispose() => _inner.Dispose();
}
