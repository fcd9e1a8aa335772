// The live-tensor counter is process-wide: tests that assert on it must not overlap others.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
