using System.Globalization;

namespace MetaRL.Extensions.Tests;

/// <summary>A column of a run's metrics.csv, read as numbers.</summary>
internal static class Metrics
{
    public static double[] Column(string runPath, string name)
    {
        var lines = File.ReadAllLines(Path.Combine(runPath, "metrics.csv"));
        int column = Array.IndexOf(lines[0].Split(','), name);
        Assert.True(column >= 0, $"metrics.csv has no column {name}: {lines[0]}");
        return lines.Skip(1).Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)).ToArray();
    }
}
