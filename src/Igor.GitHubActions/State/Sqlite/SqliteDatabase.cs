using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State.Sqlite;

/// <summary>
/// One SQLite file shared by the store's ports: its schema (created and upgraded in place at start) and pooled
/// connections with their durability.
/// </summary>
internal sealed class SqliteDatabase
{
    /// <summary>
    /// Set on every connection (the settings are per connection, and the pool opens new ones at any time): a committed
    /// transaction is on disk when the call returns (WAL with <c>synchronous = FULL</c>), so an acknowledged webhook or
    /// queue id survives power loss.
    /// </summary>
    private const string ConnectionPragmas = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";

    /// <summary>See <see cref="Open"/>: for bookkeeping a power loss may roll back in order without losing anything answered.</summary>
    private const string BookkeepingPragmas = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";

    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Cache = SqliteCacheMode.Private, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA auto_vacuum = INCREMENTAL;
            CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """);
        Execute(connection, SqliteRunIndex.Schema);
        Execute(connection, SqliteQueueItems.Schema);
        SqliteQueueItems.Migrate(connection);
        SqliteQueueTables.Upgrade(connection);
        Execute(connection, SqliteQueueTables.Deliveries.Schema);
        Execute(connection, SqliteQueueTables.EchoOutbox.Schema);
        Execute(connection, SqliteRunSnapshots.Schema);
        Execute(connection, SqliteDeploymentLinks.Schema);
        Execute(connection, SqliteQueueTables.DeploymentStatuses.Schema);
        Execute(connection, SqliteStageRuns.Schema);
        AddMissingColumns(connection, "deployment_links", [("environment", "TEXT NULL")]);

        // When index rows were written, for retention; rows from before the column existed count from the upgrade.
        foreach (var table in new[] { "runs", "stage_runs" })
        {
            AddMissingColumns(connection, table, [("recorded_at", "INTEGER NOT NULL DEFAULT 0")]);
            Execute(connection, $"UPDATE {table} SET recorded_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE recorded_at = 0;");
        }

        // Retention frees pages; an older store file created without incremental auto-vacuum is converted once.
        if (Scalar(connection, "PRAGMA auto_vacuum") != 2)
        {
            Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL; VACUUM;");
        }
    }

    /// <summary>
    /// A pooled connection. <paramref name="durable"/> (the default) commits to disk before returning: everything the
    /// service answers on (a webhook acknowledged, a queue id, a write-ahead Sending, an event Echo accepted). The
    /// background bookkeeping whose last commits a power loss may take back, consistently and in order, without harm
    /// (leases, processed marks, events derived from a delivery that would then be processed again, snapshots, the run
    /// index) passes false: WAL with <c>synchronous = NORMAL</c>.
    /// </summary>
    internal SqliteConnection Open(bool durable = true)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = durable ? ConnectionPragmas : BookkeepingPragmas;
        pragmas.ExecuteNonQuery();
        return connection;
    }

    /// <summary>The durability settings of <paramref name="count"/> connections open at once (distinct pooled connections).</summary>
    internal IReadOnlyList<long> SynchronousOfConnections(int count)
    {
        var connections = Enumerable.Range(0, count).Select(_ => Open()).ToList();
        try
        {
            return connections.Select(c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "PRAGMA synchronous";
                return (long)command.ExecuteScalar()!;
            }).ToList();
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Size of the database file and its write-ahead log, in bytes.</summary>
    internal long FileBytes()
    {
        var path = new SqliteConnectionStringBuilder(_connectionString).DataSource;
        return new[] { path, path + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length);
    }

    /// <summary>Adds the columns a store written by an older release lacks (SQLite has no ADD COLUMN IF NOT EXISTS).</summary>
    internal static void AddMissingColumns(SqliteConnection connection, string table, IEnumerable<(string Name, string Definition)> columns)
    {
        var existing = ColumnsOf(connection, table);
        foreach (var (name, definition) in columns.Where(c => !existing.Contains(c.Name)))
        {
            Execute(connection, $"ALTER TABLE {table} ADD COLUMN {name} {definition}");
        }
    }

    internal static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    internal static void Execute(SqliteConnection connection, string sql) => Execute(connection, null, sql);

    internal static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The columns a table has (none when it does not exist).</summary>
    internal static HashSet<string> ColumnsOf(SqliteConnection connection, string table)
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var names = connection.CreateCommand();
        names.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var reader = names.ExecuteReader();
        while (reader.Read())
        {
            existing.Add(reader.GetString(0));
        }

        return existing;
    }

    internal static DateTimeOffset? FromMilliseconds(long value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value).ToOffset(TimeSpan.Zero);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"SQLite store ({_connectionString})");
}
