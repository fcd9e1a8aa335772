using MetaRL.Policies;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>Passes every update to a real trainer and keeps a copy of the trials it was given. Read <see cref="Batches"/> under a lock on it.</summary>
internal sealed class TrialTap(IPolicyTrainer inner) : IPolicyTrainer
{
    public List<Trajectory[]> Batches { get; } = [];

    public UpdateResult Update(IReadOnlyList<Trajectory> trials, long update, double progress)
    {
        lock (Batches) Batches.Add(trials.ToArray());
        return inner.Update(trials, update, progress);
    }

    public float[] GetParameters() => inner.GetParameters();

    public void SaveState(Stream destination) => inner.SaveState(destination);

    public void LoadState(Stream source) => inner.LoadState(source);

    public void Dispose() => inner.Dispose();
}
