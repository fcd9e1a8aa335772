namespace MetaRL.Actors.Tests.Persistence;

/// <summary>The throwaway PostgreSQL cluster of the test run (scripts/postgres.sh), from the environment it exports.</summary>
internal static class PostgresForTests
{
    /// <summary>The xUnit collection of the tests that use the cluster: one at a time, since the outage test stops it.</summary>
    public const string Collection = "postgres";

    public static string ConnectionString => Environment.GetEnvironmentVariable("METARL_TEST_POSTGRES") is { Length: > 0 } cs
        ? cs
        : throw new InvalidOperationException("METARL_TEST_POSTGRES is not set: run the tests with the README's command (bash scripts/test.sh), " +
            "which starts a throwaway PostgreSQL cluster, or `source scripts/postgres.sh start` first");

    /// <summary>Stops (<paramref name="verb"/> = stop) or starts the cluster.</summary>
    public static void Control(string verb)
    {
        var ctl = Environment.GetEnvironmentVariable("METARL_TEST_POSTGRES_CTL") ?? throw new InvalidOperationException("METARL_TEST_POSTGRES_CTL is not set");
        using var p = System.Diagnostics.Process.Start(ctl, verb)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{ctl} {verb} exited with {p.ExitCode}");
    }
}
