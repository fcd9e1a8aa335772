using MetaRL.Policies;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>A <see cref="RecordingTrainer"/> that throws on its <paramref name="failingUpdate"/>-th update (counted from 1), as a learner bug would.</summary>
internal sealed class ThrowingTrainer(int failingUpdate) : IPolicyTrainer
{
    private readonly RecordingTrainer _inner = new();

    public UpdateResult Update(IReadOnlyList<Trajectory> trials, double progress) =>
        _inner.Batches.Count + 1 == failingUpdate
            ? throw new InvalidOperationException($"simulated trainer failure at update {failingUpdate}")
            : _inner.Update(trials, progress);

    public float[] GetParameters() => _inner.GetParameters();

    public void Dispose() => _inner.Dispose();
}
