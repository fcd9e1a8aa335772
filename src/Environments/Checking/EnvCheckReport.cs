namespace MetaRL.Environments.Checking;

/// <summary>How bad a finding is: an <see cref="Error"/> breaks the <see cref="IEnv{TObs,TAction}"/> contract, a <see cref="Warning"/> is legal but likely a mistake.</summary>
public enum CheckSeverity
{
    Error,
    Warning,
}

/// <summary>One finding of the <see cref="EnvChecker"/>: which check, and a message that says what was expected and what the env did.</summary>
public sealed record EnvCheckIssue(CheckSeverity Severity, string Check, string Message)
{
    public override string ToString() => $"{(Severity == CheckSeverity.Error ? "error" : "warning")} [{Check}]: {Message}";
}

/// <summary>What <see cref="EnvChecker"/> found for one env.</summary>
public sealed record EnvCheckReport(string Env, IReadOnlyList<EnvCheckIssue> Issues)
{
    /// <summary>True when no check found an error (warnings allowed).</summary>
    public bool Passed => Issues.All(i => i.Severity != CheckSeverity.Error);

    public IEnumerable<EnvCheckIssue> Errors => Issues.Where(i => i.Severity == CheckSeverity.Error);
    public IEnumerable<EnvCheckIssue> Warnings => Issues.Where(i => i.Severity == CheckSeverity.Warning);

    /// <summary>Throws an <see cref="InvalidOperationException"/> listing every error when the env failed.</summary>
    public void ThrowIfFailed()
    {
        if (!Passed) throw new InvalidOperationException(ToString());
    }

    public override string ToString() => Issues.Count == 0
        ? $"{Env}: all checks passed"
        : $"{Env}: {Errors.Count()} error(s), {Warnings.Count()} warning(s)" + Environment.NewLine
          + string.Join(Environment.NewLine, Issues.Select(i => "  " + i));
}
