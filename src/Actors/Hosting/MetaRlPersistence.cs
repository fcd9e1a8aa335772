using System.Text.Json;
using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace MetaRL.Actors.Hosting;

/// <summary>
/// Where a run's journal and checkpoints live (docs/architecture.md §4): Akka.Persistence.Sql's journal, snapshot
/// store and read journal on one database: an embedded SQLite file (the default, <c>runs/&lt;name&gt;/run.db</c>, in
/// WAL mode) or a shared PostgreSQL server. The plugins' <c>class</c> keys are given here, so no plugin default has
/// to be loaded first. Both keep every table they need and create them on first use.
/// </summary>
public static class MetaRlPersistence
{
    /// <summary>Linq2Db's provider name for Microsoft.Data.Sqlite.</summary>
    public const string SqliteProvider = "SQLite.MS";

    /// <summary>Linq2Db's provider name for PostgreSQL 15 and later through Npgsql (identity columns for the journal's ordering).</summary>
    public const string PostgreSqlProvider = "PostgreSQL.15";

    /// <summary>The journal and snapshot store of a run in the SQLite file <paramref name="path"/>, switched to WAL first.</summary>
    public static Config Sqlite(string path)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Pooling = false }.ToString();
        EnableWal(connection);
        return Config(connection, SqliteProvider);
    }

    /// <summary>The journal and snapshot store on a PostgreSQL server.</summary>
    public static Config PostgreSql(string connectionString) => Config(connectionString, PostgreSqlProvider);

    /// <summary>
    /// Write-ahead logging: readers (<c>metarl runs</c>, the read journal) do not block the learner's writes, and a
    /// commit is one append. Microsoft.Data.Sqlite takes no journal mode in its connection string; the mode is
    /// stored in the file, so setting it once before Akka opens it is enough.
    /// </summary>
    private static void EnableWal(string connectionString)
    {
        using var db = new SqliteConnection(connectionString);
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    private static Config Config(string connectionString, string provider)
    {
        // Quoted as JSON strings: HOCON reads JSON escapes, and a connection string may hold any character.
        string cs = JsonSerializer.Serialize(connectionString), pn = JsonSerializer.Serialize(provider);
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = {{cs}}
                  provider-name = {{pn}}
                  auto-initialize = true
                  # A database that is away trips the breaker; it tries again after 5 s rather than Akka's 30 s,
                  # so that training goes on soon after the database is back (the learner waits meanwhile).
                  circuit-breaker { max-failures = 10, call-timeout = 10s, reset-timeout = 5s }
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = {{cs}}
                  provider-name = {{pn}}
                  auto-initialize = true
                  circuit-breaker { max-failures = 5, call-timeout = 20s, reset-timeout = 5s }
                }
              }
              query.journal.sql {
                class = "Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql"
                connection-string = {{cs}}
                provider-name = {{pn}}
                write-plugin = "akka.persistence.journal.sql"
              }
            }
            """);
    }
}
