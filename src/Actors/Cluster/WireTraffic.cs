namespace MetaRL.Actors.Cluster;

/// <summary>
/// Bytes this process has serialized to send to other nodes (wire messages: parameters, gradients, reports, admission),
/// counted by the serializers. Each node reports its own in its <see cref="NodeReport"/>; metrics.csv's
/// <c>wire_bytes</c> is the cluster's sum, from which the bench derives bytes per trial.
/// </summary>
public static class WireTraffic
{
    private static long _bytes;

    public static long BytesWritten => Interlocked.Read(ref _bytes);

    internal static void Add(int bytes) => Interlocked.Add(ref _bytes, bytes);
}
