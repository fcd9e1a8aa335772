// The TestKit class shares its name with its namespace; an alias keeps test classes readable.
global using ActorTestKit = MetaRL.Runtime.TestKit.TestKit;
global using MetaRL.Runtime.TestKit;

// Actor tests wait on probes with generous timeouts; running them one class at a time on small CI machines keeps
// those waits far from their limits.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
