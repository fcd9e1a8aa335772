namespace MetaRL.Environments;

/// <summary>
/// What one <c>Step</c> returns, as in Gymnasium. <see cref="Terminated"/> means the episode reached a
/// terminal state (no bootstrapping past it); <see cref="Truncated"/> means it was cut by a time limit
/// (the value of <see cref="Obs"/> still matters).
/// </summary>
public readonly record struct StepResult<TObs>(TObs Obs, double Reward, bool Terminated, bool Truncated, Info Info)
{
    public bool Done => Terminated || Truncated;
}

/// <summary>Free-form diagnostics an env returns beside an observation (Gymnasium's <c>info</c> dict).</summary>
public sealed class Info : Dictionary<string, object>
{
    /// <summary>A shared empty instance for the hot path; callers must not add to it.</summary>
    public static readonly Info Empty = new();
}
