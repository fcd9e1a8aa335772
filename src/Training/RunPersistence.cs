using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Learning;
using Npgsql;

namespace MetaRL.Training;

/// <summary>
/// A run's database (docs/architecture.md §4): which one the config names, the run's id in it, and its metrics rows
/// read back through Akka.Persistence.Query.
/// </summary>
internal static class RunPersistence
{
    /// <summary>The learner's persistence id for the run with status id <paramref name="runId"/>.</summary>
    public static string PersistenceId(string runId) => $"metarl-learner-{runId}";

    /// <summary>The journal and snapshot store: SQLite in the run folder, or PostgreSQL with the password from the environment where the string has none.</summary>
    public static Config Config(TrainConfig config, RunFolder run) => config.Persistence.Provider switch
    {
        PersistenceConfig.PostgreSql => MetaRlPersistence.PostgreSql(ConnectionString(config.Persistence)),
        _ => MetaRlPersistence.Sqlite(run.DatabaseFile),
    };

    public static string ConnectionString(PersistenceConfig p)
    {
        var builder = new NpgsqlConnectionStringBuilder(p.ConnectionString);
        if (string.IsNullOrEmpty(builder.Password) && Environment.GetEnvironmentVariable(p.PasswordVariable) is { Length: > 0 } password)
            builder.Password = password;
        return builder.ConnectionString;
    }

    /// <summary>
    /// The config as saved beside the run and as sent to the nodes of a cluster: a connection string loses its password and the
    /// cluster its secret (both belong in the environment).
    /// </summary>
    public static TrainConfig WithoutSecrets(TrainConfig config)
    {
        if (config.Cluster.Secret is not null) config = config with { Cluster = config.Cluster with { Secret = null } };
        if (config.Persistence.ConnectionString is not { } cs) return config;
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(cs);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"persistence.connectionString is not an Npgsql connection string: {e.Message}");
        }
        builder.Remove("Password");
        return config with { Persistence = config.Persistence with { ConnectionString = builder.ConnectionString } };
    }

    /// <summary>Every metrics row the journal holds for the run, the last one written for each version (a row written again after a resume replaces the first).</summary>
    public static IReadOnlyDictionary<long, UpdateCompleted> ReadRows(ActorSystem system, string runId)
    {
        // The read journal's constructor gives the write journal 5 s to report itself initialized (an Ask fixed in
        // Akka.Persistence.Sql) and throws past that; on a loaded machine SQLite's first connection can take longer.
        // The journal stashes what it is sent until it is initialized, so a replay of nothing answered is a journal ready.
        var writeJournal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
        object answer;
        try
        {
            Func<IActorRef, object> replayNothing = replyTo => new ReplayMessages(0, 0, 0, PersistenceId(runId), replyTo);
            answer = writeJournal.Ask<object>(replayNothing, TimeSpan.FromMinutes(2), CancellationToken.None).Result;
        }
        catch (AggregateException e) when (e.InnerException is AskTimeoutException)
        {
            throw new TimeoutException("the run's journal did not start within 2 minutes");
        }
        if (answer is ReplayMessagesFailure failure) throw new InvalidOperationException($"the run's journal could not be read: {failure.Cause.Message}", failure.Cause);
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var rows = new Dictionary<long, UpdateCompleted>();
        var read = journal.CurrentEventsByPersistenceId(PersistenceId(runId), 0, long.MaxValue)
            .RunForeach(e =>
            {
                if (e.Event is UpdateCompleted u) rows[u.Version] = u;
            }, system.Materializer());
        if (!read.Wait(TimeSpan.FromMinutes(2))) throw new TimeoutException("reading the run's metrics rows from its journal took over 2 minutes");
        return rows;
    }
}
