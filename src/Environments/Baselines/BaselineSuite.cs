namespace MetaRL.Environments.Baselines;

/// <summary>
/// An env family's classical baselines, declared with the family (the <c>baselines</c> argument of
/// <see cref="EnvFamily{TObs,TAction,TTask}"/>): what <c>metarl baselines</c> runs on its tasks and <c>metarl eval</c>
/// sets beside the learner. Each function takes the family's options (validated, null fields meaning the family's
/// defaults) and the trial's length in episodes (pulls, for a bandit).
/// </summary>
/// <param name="Create">
/// The baselines, from the floor (random actions) to the ceiling: with <see cref="Tracking"/>, the last one must be the
/// oracle told the task, which under a schedule becomes the tracking oracle (told every change).
/// </param>
public sealed record BaselineSuite<TObs, TAction>(Func<EnvOptions, int, IReadOnlyList<BaselineSpec<TObs, TAction>>> Create)
{
    /// <summary>What the command line calls a trial's length for this family: <c>pulls</c> for bandits, <c>episodes</c> otherwise.</summary>
    public string TrialLength { get; init; } = "episodes";

    /// <summary>
    /// Baselines that track a changing task, each with a constant to tune on the train split under the same schedule
    /// (a window, a discount); null when the family's suite runs no schedule.
    /// </summary>
    public Func<EnvOptions, int, IReadOnlyList<TunableBaseline<TObs, TAction>>>? Tracking { get; init; }

    /// <summary>A baseline's published score on these options' stationary in-distribution tasks (e.g. the RL² paper's table), or null.</summary>
    public Func<EnvOptions, int, string, double?>? Published { get; init; }

    /// <summary>
    /// The setup in words for a report's title and as keys for its JSON, e.g. "k = 5 arms, n = 100 pulls a trial" with
    /// arms and pulls; null: "n = N episodes a trial" with episodes.
    /// </summary>
    public Func<EnvOptions, int, (string Text, IReadOnlyList<(string Key, object Value)> Keys)>? Describe { get; init; }

    /// <summary>The setup as <see cref="Describe"/> says it, or by the trial's length alone.</summary>
    public (string Text, IReadOnlyList<(string Key, object Value)> Keys) Setup(EnvOptions options, int episodes) =>
        Describe?.Invoke(options, episodes) ?? ($"n = {episodes} episodes a trial", [("episodes", episodes)]);
}
