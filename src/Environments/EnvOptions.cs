using MetaRL.Environments.Tasks;

namespace MetaRL.Environments;

/// <summary>
/// The knobs an <see cref="EnvFamily"/> can be built with, as the command line passes them. A null field
/// means the family's default (the published setup); a field the family does not take is an error, so a
/// misspelt intent (<c>--arms</c> for a grid world) is reported rather than ignored.
/// </summary>
/// <param name="Arms">Bandit arms (bernoulli-bandit, gaussian-bandit).</param>
/// <param name="States">States of a tabular MDP.</param>
/// <param name="Actions">Actions of a tabular MDP.</param>
/// <param name="Size">Side of a square grid world or maze, in cells.</param>
/// <param name="Hallways">Hallways of the sign hallway.</param>
/// <param name="Horizon">Steps per episode, where the family has a time limit.</param>
/// <param name="Split">Which task split to draw from.</param>
/// <param name="Extra">
/// Knobs of a family registered from user code (<see cref="EnvCatalog.Register"/>), by the names its
/// <see cref="EnvFamily.OptionNames"/> lists; config key <c>env.options</c>. Read them with <see cref="Option"/>.
/// </param>
/// <param name="Schedule">
/// Makes every env non-stationary (<see cref="NonStationary.NonStationaryEnv{TObs,TAction,TTask}"/>): switches draw their new
/// tasks from the same split, drifts move the task by the family's <see cref="EnvFamily{TObs,TAction,TTask}.Drift"/>.
/// </param>
public sealed record EnvOptions(
    int? Arms = null,
    int? States = null,
    int? Actions = null,
    int? Size = null,
    int? Hallways = null,
    int? Horizon = null,
    TaskSplit Split = TaskSplit.Train,
    NonStationary.ScheduleSpec? Schedule = null,
    IReadOnlyDictionary<string, double>? Extra = null)
{
    /// <summary>The extra knob <paramref name="name"/> (<see cref="Extra"/>), or <paramref name="fallback"/> when it is not set.</summary>
    public double Option(string name, double fallback) =>
        Extra is not null && Extra.TryGetValue(name, out double value) ? value : fallback;

    /// <summary>The names of the fields that are set (not null), as the command line spells them.</summary>
    public IEnumerable<string> SetNames()
    {
        if (Arms is not null) yield return "arms";
        if (States is not null) yield return "states";
        if (Actions is not null) yield return "actions";
        if (Size is not null) yield return "size";
        if (Hallways is not null) yield return "hallways";
        if (Horizon is not null) yield return "horizon";
        foreach (var name in Extra?.Keys ?? []) yield return name;
    }
}
