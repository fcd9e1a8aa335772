namespace MetaRL.Policies;

/// <summary>The outcome of one update. A skipped update changed no parameter.</summary>
public sealed record UpdateResult(double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl, bool Skipped, string? SkipReason)
{
    public static UpdateResult Skip(string reason) => new(double.NaN, double.NaN, double.NaN, double.NaN, true, reason);
}

/// <summary>What a learner needs from an algorithm: an update over whole trials, and the parameters to broadcast.</summary>
public interface IPolicyTrainer : IDisposable
{
    /// <summary>
    /// One update over <paramref name="trials"/> (in a deterministic order chosen by the caller).
    /// <paramref name="update"/> is the update's index in the run: its random draws (minibatch order) are seeded
    /// from it, so that no generator state needs saving for a resumed run to draw the same.
    /// <paramref name="progress"/> is the fraction of the run done, in [0, 1], for learning-rate schedules.
    /// An update whose loss or gradients are not finite is skipped, not applied.
    /// </summary>
    UpdateResult Update(IReadOnlyList<Trajectory> trials, long update, double progress);

    /// <summary>The current parameters as one flat vector (the layout <see cref="IInContextPolicy.LoadParameters"/> takes).</summary>
    float[] GetParameters();

    /// <summary>Writes everything a later update depends on (parameters, optimizer moments and step counts) to <paramref name="destination"/>.</summary>
    void SaveState(Stream destination);

    /// <summary>Restores what <see cref="SaveState"/> wrote; afterwards updates continue exactly as they would have.</summary>
    void LoadState(Stream source);
}
