using System.Diagnostics;

namespace MetaRL.Load;

/// <summary>
/// A workload and the load that shapes it, as in NBomber: <see cref="Run"/> is one copy's work (e.g. one agent's
/// trial), made of named steps whose latency and outcome are recorded (<see cref="ScenarioContext.Step"/>); the
/// load simulations say how many copies run, or start, when.
/// </summary>
public sealed record Scenario(string Name, Func<ScenarioContext, Task> Run, IReadOnlyList<LoadSimulation> Load)
{
    /// <summary>Named stretches of the run whose figures are also reported apart (e.g. before, during and after a fault); none by default.</summary>
    public IReadOnlyList<LoadPhase> Phases { get; init; } = [];

    /// <summary>
    /// Figures of the system under test read at every sample beside memory (e.g. live tensors, updates made), by name;
    /// read on the runner's thread, so they must be safe to read while the load runs.
    /// </summary>
    public Func<IReadOnlyDictionary<string, double>>? Gauges { get; init; }

    /// <summary>How long the system under test takes to settle: the samples before it are left out of <see cref="LoadDrift"/>.</summary>
    public TimeSpan WarmUp { get; init; }
}

/// <summary>What one copy of a scenario sees: its number, the run's end, and the steps it records into.</summary>
public sealed class ScenarioContext
{
    private readonly StepRecorder _steps;

    internal ScenarioContext(long copy, CancellationToken ended, StepRecorder steps)
    {
        Copy = copy;
        Ended = ended;
        _steps = steps;
    }

    /// <summary>This copy's number, from 0, in the order copies were started.</summary>
    public long Copy { get; }

    /// <summary>Cancelled when the load's time is up.</summary>
    public CancellationToken Ended { get; }

    /// <summary>The <see cref="LoadPhase"/> the run is in now (null outside every phase): a workload may inject a fault only during its phase.</summary>
    public string? Phase => _steps.Phase;

    /// <summary>
    /// Runs one step and records it under <paramref name="name"/>: its latency and bytes if it returns, a failure if it
    /// throws (the exception is not rethrown: a failed step is a measurement, and the copy goes on), nothing if the
    /// load's end cancelled it. Returns whether it succeeded.
    /// </summary>
    public async Task<bool> Step(string name, Func<Task<long>> work)
    {
        var stats = _steps[name];
        long start = Stopwatch.GetTimestamp();
        try
        {
            long bytes = await work().ConfigureAwait(false);
            stats.RecordOk(Stopwatch.GetElapsedTime(start), bytes);
            return true;
        }
        catch (OperationCanceledException) when (Ended.IsCancellationRequested)
        {
            throw; // cut short by the load's end: not a measurement
        }
        catch (Exception)
        {
            stats.RecordFailed();
            return false;
        }
    }
}
