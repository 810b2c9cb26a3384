using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Each operation opens a pooled connection;
/// uniqueness of idempotency keys is enforced by the database, so concurrent requests cannot both create.
/// </summary>
internal sealed partial class SqliteStateStore : IStateStore, IQueueItems, IStoreIdentity
{
    /// <summary>
    /// Set on every connection (the settings are per connection, and the pool opens new ones at any time): a committed
    /// transaction is on disk when the call returns (WAL with <c>synchronous = FULL</c>), so an acknowledged webhook or
    /// queue id survives power loss.
    /// </summary>
    private const string ConnectionPragmas = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";

    /// <summary>See <see cref="Open"/>: for bookkeeping a power loss may roll back in order without losing anything answered.</summary>
    private const string BookkeepingPragmas = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";

    /// <summary>The most deliveries committed in one transaction.</summary>
    private const int DeliveryBatch = 64;

    private readonly string _connectionString;
    private readonly System.Threading.Channels.Channel<PendingDelivery> _deliveryQueue =
        System.Threading.Channels.Channel.CreateUnbounded<PendingDelivery>(new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true });

    public SqliteStateStore(string path)
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
            CREATE TABLE IF NOT EXISTS runs (
                master TEXT NOT NULL,
                job TEXT NOT NULL,
                run_number INTEGER NOT NULL,
                run_id INTEGER NOT NULL,
                PRIMARY KEY (master, job, run_number));
            """);
        Execute(connection, QueueItemsSchema);
        MigrateQueueItems(connection);
        Execute(connection, EventsSchema);
        AddMissingColumns(connection, "outbox", [("dead_reason", "TEXT NULL")]);
        Execute(connection, SnapshotSchema);
        Execute(connection, DeploymentsSchema);
        AddMissingColumns(connection, "deployment_links", [("environment", "TEXT NULL")]);
        _ = Task.Run(WriteDeliveriesAsync);

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

    public async Task RecordRunsAsync(IReadOnlyCollection<RunRecord> runs, CancellationToken cancellationToken)
    {
        if (runs.Count == 0)
        {
            return;
        }

        await using var connection = Open(durable: false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO runs (master, job, run_number, run_id, recorded_at) VALUES ($master, $job, $number, $id, CAST(unixepoch('subsec') * 1000 AS INTEGER))";
        var master = command.Parameters.Add("$master", SqliteType.Text);
        var job = command.Parameters.Add("$job", SqliteType.Text);
        var number = command.Parameters.Add("$number", SqliteType.Integer);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var run in runs)
        {
            master.Value = run.Master;
            job.Value = run.Job;
            number.Value = run.RunNumber;
            id.Value = run.RunId;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long?> FindRunIdAsync(string master, string job, int runNumber, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_id FROM runs WHERE master = $master AND job = $job AND run_number = $number";
        command.Parameters.AddWithValue("$master", master);
        command.Parameters.AddWithValue("$job", job);
        command.Parameters.AddWithValue("$number", runNumber);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? id : null;
    }

    /// <summary>
    /// A pooled connection. <paramref name="durable"/> (the default) commits to disk before returning: everything the
    /// service answers on (a webhook acknowledged, a queue id, a write-ahead Sending, an event Echo accepted). The
    /// background bookkeeping whose last commits a power loss may take back, consistently and in order, without harm
    /// (leases, processed marks, events derived from a delivery that would then be processed again, snapshots, the run
    /// index) passes false: WAL with <c>synchronous = NORMAL</c>.
    /// </summary>
    private SqliteConnection Open(bool durable = true)
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

    public async Task<StoreIdentity> GetOrCreateIdentityAsync(StoreIdentity candidate, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO store_meta (key, value) VALUES ('id', $id), ('created_at', $created);
            SELECT (SELECT value FROM store_meta WHERE key = 'id'), (SELECT value FROM store_meta WHERE key = 'created_at');
            """;
        command.Parameters.AddWithValue("$id", candidate.Id);
        command.Parameters.AddWithValue("$created", candidate.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StoreIdentity(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(reader.GetString(1), CultureInfo.InvariantCulture)));
    }

    public async Task ReleaseClaimsAsync(ClaimKind kind, IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var (table, keyColumn, type) = kind switch
        {
            ClaimKind.Deliveries => ("deliveries", "id", SqliteType.Text),
            ClaimKind.Outbox => ("outbox", "seq", SqliteType.Integer),
            _ => ("deployment_statuses", "seq", SqliteType.Integer),
        };
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = $"UPDATE {table} SET lease_until = NULL WHERE {keyColumn} = $key AND lease_until = $until";
        var key = update.Parameters.Add("$key", type);
        update.Parameters.AddWithValue("$until", leaseUntil.ToUnixTimeMilliseconds());
        foreach (var id in ids)
        {
            key.Value = type == SqliteType.Integer ? long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) : id;
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leases claimed rows inside the claiming (IMMEDIATE) transaction, so no other worker can take them.</summary>
    private static async Task LeaseAsync(
        SqliteConnection connection, SqliteTransaction transaction, string table, string keyColumn, IEnumerable<object> keys, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = $"UPDATE {table} SET lease_until = $until WHERE {keyColumn} = $key";
        var key = update.Parameters.Add("$key", SqliteType.Integer);
        update.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        foreach (var value in keys)
        {
            key.SqliteType = value is string ? SqliteType.Text : SqliteType.Integer;
            key.Value = value;
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static DateTimeOffset? FromMilliseconds(long value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value).ToOffset(TimeSpan.Zero);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"SQLite store ({_connectionString})");
}
