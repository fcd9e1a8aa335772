// Tests here seed libtorch's global generator (manual_seed) and then draw from it (model initialisation), and
// every model built anywhere in the process draws from it too: two test classes running at once would interleave
// their draws, so a seeded test could get other initial weights now and then (a bit-identical or a learning
// threshold assertion then fails for no fault of the code). The classes of this assembly run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
