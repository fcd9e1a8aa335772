using MetaRL.Environments.Policies;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// A baseline with one constant to tune (a window or a discount): <see cref="Create"/> builds it for a value of
/// <see cref="Grid"/>; <see cref="Describe"/> says, for tables, which value ran.
/// </summary>
public sealed record TunableBaseline<TObs, TAction>(string Name, IReadOnlyList<double> Grid, Func<double, IPolicy<TObs, TAction>> Create, Func<double, string> Describe)
{
    public BaselineSpec<TObs, TAction> With(double value, string tunedOn) => new(Name, $"{Describe(value)}, {tunedOn}", () => Create(value));
}
