using System.Globalization;
using System.Text.RegularExpressions;

namespace MetaRL.Load;

/// <summary>
/// A check on a load run's figures, as written on the command line: <c>p99(act)&lt;50ms</c>, <c>failed=0</c>,
/// <c>rps(act)&gt;=1000</c>, <c>mean(trial)&lt;2s</c>. The metric is a latency (<c>min, mean, max, p50, p75, p95, p99</c>,
/// with a unit: us, ms or s) or a count (<c>ok, failed, rps, bytes</c>); the step in parentheses, or none for every
/// step (counts are summed over the steps; a latency must hold for each step). <c>drift(SERIES)&lt;5%</c> checks a
/// long run's <see cref="LoadDrift"/> (resident, heap, a gauge, or a step's rate) in percent, either way.
/// </summary>
public sealed partial record Threshold(string Text, string Metric, string? Step, string Operator, double Value)
{
    private static readonly string[] Latencies = ["min", "mean", "max", "p50", "p75", "p95", "p99"];
    private static readonly string[] Counts = ["ok", "failed", "rps", "bytes"];

    [GeneratedRegex(@"^\s*(?<metric>[a-z0-9]+)\s*(\(\s*(?<step>[^()\s]+)\s*\))?\s*(?<op><=|>=|<|>|==|=)\s*(?<value>[0-9]+(\.[0-9]+)?)\s*(?<unit>us|ms|s|%)?\s*$")]
    private static partial Regex Form();

    /// <exception cref="FormatException">The text is not a threshold; the message says what is expected.</exception>
    public static Threshold Parse(string text)
    {
        var m = Form().Match(text);
        if (!m.Success)
            throw new FormatException($"threshold '{text}': expected METRIC[(STEP)] OP VALUE, e.g. 'p99(act)<50ms' or 'failed=0'");
        string metric = m.Groups["metric"].Value;
        bool latency = Latencies.Contains(metric);
        if (!latency && !Counts.Contains(metric) && metric != "drift")
            throw new FormatException($"threshold '{text}': unknown metric '{metric}'; expected one of {string.Join(", ", Latencies.Concat(Counts))}, drift");
        string unit = m.Groups["unit"].Value;
        if (metric == "drift")
        {
            if (unit != "%" || !m.Groups["step"].Success) throw new FormatException($"threshold '{text}': a drift is checked in percent of a series, e.g. 'drift(resident)<5%'");
            return new Threshold(text.Trim(), metric, m.Groups["step"].Value, m.Groups["op"].Value == "==" ? "=" : m.Groups["op"].Value,
                double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        }
        if (unit == "%") throw new FormatException($"threshold '{text}': only a drift is in percent");
        if (latency && unit.Length == 0) throw new FormatException($"threshold '{text}': a latency needs a unit (us, ms or s)");
        if (!latency && unit.Length > 0) throw new FormatException($"threshold '{text}': {metric} is a count; it takes no unit");
        double value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        value = unit switch { "us" => value / 1000, "s" => value * 1000, _ => value }; // latencies compare in milliseconds
        string op = m.Groups["op"].Value == "==" ? "=" : m.Groups["op"].Value;
        return new Threshold(text.Trim(), metric, m.Groups["step"].Success ? m.Groups["step"].Value : null, op, value);
    }

    /// <summary>Whether the figures pass, and what was measured (for the report's last line).</summary>
    public (bool Passed, string Measured) Check(LoadResult result)
    {
        if (Metric == "drift")
        {
            var drift = LoadDrift.Of(result).FirstOrDefault(d => d.Series == Step);
            if (drift is null) return (false, $"no drift of '{Step}' (a series: resident, heap, a gauge or a step, over 8 samples or more after the warm-up)");
            return (Holds(Math.Abs(drift.Percent)), $"drift({Step}) = {drift.Percent.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)} %");
        }
        var steps = result.Steps;
        var chosen = Step is null ? steps : steps.Where(s => s.Step == Step).ToArray();
        if (chosen.Count == 0) return (false, $"no step '{Step}' ran");
        if (Latencies.Contains(Metric))
        {
            var values = chosen.Select(s => (s.Step, Value: Latency(s))).ToArray();
            bool passed = values.All(v => !double.IsNaN(v.Value) && Holds(v.Value));
            return (passed, string.Join(", ", values.Select(v => $"{Metric}({v.Step}) = {v.Value.ToString("0.###", CultureInfo.InvariantCulture)} ms")));
        }
        double total = chosen.Sum(s => Metric switch { "ok" => s.Ok, "failed" => s.Failed, "rps" => s.Rps, _ => (double)s.Bytes });
        return (Holds(total), $"{Metric}{(Step is null ? "" : $"({Step})")} = {total.ToString("0.###", CultureInfo.InvariantCulture)}");
    }

    private double Latency(StepFigures s) => Metric switch
    {
        "min" => s.MinMs, "mean" => s.MeanMs, "max" => s.MaxMs, "p50" => s.P50Ms, "p75" => s.P75Ms, "p95" => s.P95Ms, _ => s.P99Ms,
    };

    private bool Holds(double measured) => Operator switch
    {
        "<" => measured < Value,
        "<=" => measured <= Value,
        ">" => measured > Value,
        ">=" => measured >= Value,
        _ => measured == Value,
    };
}
