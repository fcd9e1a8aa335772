namespace MetaRL.Host.Tests;

/// <summary>
/// Tests that take both cores with processes of their own (clusters, loads, signals) run one after another: side by
/// side, a load starved a cluster's nodes of CPU and the failure detector took a busy node for a dead one.
/// </summary>
public static class HeavyTests
{
    public const string Collection = "heavy: clusters, loads and signals, one at a time";
}
