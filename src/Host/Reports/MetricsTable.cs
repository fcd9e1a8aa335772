using System.Globalization;

namespace MetaRL.Host.Reports;

/// <summary>
/// metrics.csv as columns of numbers (an empty cell is NaN). A last line cut short while being written, or a row
/// whose update does not follow the one before, is left out, as the page's own reader does (web/src/report.js).
/// </summary>
internal sealed class MetricsTable
{
    private readonly Dictionary<string, List<double>> _columns;

    private MetricsTable(string[] names)
    {
        Names = names;
        _columns = names.ToDictionary(n => n, _ => new List<double>());
    }

    public IReadOnlyList<string> Names { get; }

    public int Rows { get; private set; }

    /// <summary>The column's values, or null when the table has no such column.</summary>
    public double[]? this[string name] => _columns.TryGetValue(name, out var c) ? c.ToArray() : null;

    public static MetricsTable Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var table = new MetricsTable(lines.Length == 0 ? [] : lines[0].Split(','));
        double last = double.NegativeInfinity;
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (cells.Length != table.Names.Count) continue;
            if (!double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double update) || update <= last) continue;
            last = update;
            for (int j = 0; j < cells.Length; j++)
                table._columns[table.Names[j]].Add(double.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN);
            table.Rows++;
        }
        return table;
    }
}
