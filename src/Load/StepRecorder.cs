using System.Collections.Concurrent;

namespace MetaRL.Load;

/// <summary>
/// The steps of one load run by name, and the phase the run is in. The runner makes one, or takes one made before
/// the run so that parts of the system under test that are not copies (e.g. a probe of the learner's broadcasts) can
/// record their own steps into the same report.
/// </summary>
public sealed class StepRecorder
{
    private readonly ConcurrentDictionary<string, StepStats> _steps = new();
    private volatile string? _phase;

    /// <summary>The step named <paramref name="name"/>, made at its first use.</summary>
    public StepStats this[string name] => _steps.GetOrAdd(name, n => new StepStats(n, () => _phase));

    /// <summary>The phase the run is in now (null outside every phase).</summary>
    public string? Phase
    {
        get => _phase;
        internal set => _phase = value;
    }

    /// <summary>The steps so far, by name.</summary>
    public IReadOnlyList<StepStats> Steps => _steps.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
}
