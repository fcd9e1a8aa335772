using MetaRL.Environments.Policies;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// A named baseline of a suite: <see cref="Create"/> builds a fresh policy (one per worker thread, since
/// policies keep per-trial state); <see cref="Settings"/> says in a few words which variant and constants
/// it runs with, for tables and the README.
/// </summary>
public sealed record BaselineSpec<TObs, TAction>(string Name, string Settings, Func<IPolicy<TObs, TAction>> Create);
