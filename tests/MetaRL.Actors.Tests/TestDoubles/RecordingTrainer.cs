using MetaRL.Policies;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>A trainer that records what it was given and whose "parameters" count its updates. Read <see cref="Batches"/> under a lock on it: the learner's thread appends.</summary>
internal sealed class RecordingTrainer : IPolicyTrainer
{
    private float _updates;

    public List<IReadOnlyList<Trajectory>> Batches { get; } = [];

    public UpdateResult Update(IReadOnlyList<Trajectory> trials, long update, double progress)
    {
        lock (Batches) Batches.Add(trials.ToArray());
        _updates++;
        return new UpdateResult(0.1, 0.2, 0.3, 0.4, false, null);
    }

    public float[] GetParameters() => [_updates];

    /// <summary>Its state is its update count.</summary>
    public void SaveState(Stream destination) => new BinaryWriter(destination).Write(_updates);

    public void LoadState(Stream source) => _updates = new BinaryReader(source).ReadSingle();

    public void Dispose() { }
}
