using MetaRL.Actors.Cluster;

namespace MetaRL.Training;

/// <summary>
/// Receives metrics.csv as <see cref="TrainingMonitor"/> writes it: the header, then every row (the journal's rows of
/// a resumed run first), each with the cluster's shape at that update. Called on the population actor's thread: an
/// implementation must only take note and return (the live dashboard queues the line for its clients).
/// </summary>
internal interface IMetricsSink
{
    void Header(string header);

    /// <param name="cluster">The cluster at the update; null for the in-process population.</param>
    void Row(string row, ClusterShape? cluster);
}
