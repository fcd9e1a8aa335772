namespace MetaRL.Environments;

/// <summary>
/// Collects validation errors of an options record, each naming the config key, the value found and
/// what was expected (docs/architecture.md §7), so that a run reports every bad setting at once, before it starts.
/// </summary>
public sealed class OptionErrors
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;
    public bool Any => _errors.Count > 0;

    /// <summary>Records "<c>key = value: expected …</c>" unless <paramref name="ok"/>.</summary>
    public void Require(bool ok, string key, object? value, string expected)
    {
        if (!ok) _errors.Add($"{key} = {Format(value)}: expected {expected}");
    }

    /// <summary>Records "<c>key = value: why</c>", for a value whose own parser says what is wrong with it.</summary>
    public void Invalid(string key, object? value, string why) => _errors.Add($"{key} = {Format(value)}: {why}");

    public void Positive(string key, int value) => Require(value > 0, key, value, "a whole number > 0");

    public void Positive(string key, double value) => Require(double.IsFinite(value) && value > 0, key, value, "a number > 0");

    public void AtLeast(string key, int value, int min) => Require(value >= min, key, value, $"a whole number >= {min}");

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>: the upper bound keeps a typo (4e8 agents) from a run that can never start.</summary>
    public void Between(string key, int value, int min, int max) => Require(value >= min && value <= max, key, value, $"a whole number from {min} to {max}");

    public void InRange(string key, double value, double min, double max) =>
        Require(double.IsFinite(value) && value >= min && value <= max, key, value, $"a number in [{min}, {max}]");

    /// <summary>Throws one <see cref="ArgumentException"/> listing every error, one a line, when there are any.</summary>
    public void ThrowIfAny()
    {
        if (Any) throw new ArgumentException(string.Join(Environment.NewLine, _errors));
    }

    private static string Format(object? value) => value switch
    {
        null => "(missing)",
        string s => $"\"{s}\"",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
