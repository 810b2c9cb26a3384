using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Each operation opens a pooled connection;
/// uniqueness of idempotency keys is enforced by the database, so concurrent requests cannot both create.
/// </summary>
internal sealed partial class SqliteStateStore : IStateStore
{
    private const string ItemColumns =
        "id, idempotency_key, master, job, state, dispatch_id, run_id, run_number, error_status, error, cancel_requested, created_at, dispatched_at, lease_until";

    private readonly string _connectionString;

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
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS queue_items (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                idempotency_key TEXT NOT NULL UNIQUE,
                master TEXT NOT NULL,
                job TEXT NOT NULL,
                state INTEGER NOT NULL,
                dispatch_id TEXT NOT NULL,
                run_id INTEGER NULL,
                run_number INTEGER NULL,
                error_status INTEGER NULL,
                error TEXT NULL,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                dispatched_at INTEGER NULL,
                lease_until INTEGER NULL);
            CREATE INDEX IF NOT EXISTS queue_items_open ON queue_items (state, cancel_requested);
            CREATE TABLE IF NOT EXISTS runs (
                master TEXT NOT NULL,
                job TEXT NOT NULL,
                run_number INTEGER NOT NULL,
                run_id INTEGER NOT NULL,
                PRIMARY KEY (master, job, run_number));
            """);
        Execute(connection, EventsSchema);
        Execute(connection, SnapshotSchema);
        Execute(connection, DeploymentsSchema);
    }

    public async Task<(QueueItem Item, bool Created)> GetOrCreateQueueItemAsync(QueueItem candidate, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO queue_items (idempotency_key, master, job, state, dispatch_id, run_id, run_number, error_status, error, cancel_requested, created_at, dispatched_at, lease_until)
            VALUES ($key, $master, $job, $state, $dispatch, $run_id, $run_number, $error_status, $error, $cancel, $created, $dispatched, $lease)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id;
            """;
        Bind(insert, candidate);
        var id = await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (id is long created)
        {
            return (candidate with { Id = created }, true);
        }

        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {ItemColumns} FROM queue_items WHERE idempotency_key = $key";
        select.Parameters.AddWithValue("$key", candidate.IdempotencyKey);
        var existing = await ReadItemsAsync(select, cancellationToken).ConfigureAwait(false);
        return (existing.Single(), false);
    }

    public async Task<QueueItem?> GetQueueItemAsync(long queueId, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ItemColumns} FROM queue_items WHERE id = $id";
        command.Parameters.AddWithValue("$id", queueId);
        return (await ReadItemsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task UpdateQueueItemAsync(QueueItem item, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE queue_items SET state = $state, run_id = $run_id, run_number = $run_number, error_status = $error_status,
                error = $error, cancel_requested = $cancel, dispatched_at = $dispatched, lease_until = $lease
            WHERE id = $id
            """;
        Bind(command, item);
        command.Parameters.AddWithValue("$id", item.Id);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QueueItem>> ListOpenQueueItemsAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {ItemColumns} FROM queue_items
            WHERE state IN ({(int)QueueItemState.Dispatching}, {(int)QueueItemState.Dispatched})
               OR (state = {(int)QueueItemState.Resolved} AND cancel_requested = 1)
            ORDER BY id LIMIT 1000
            """;
        return await ReadItemsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task RecordRunsAsync(IReadOnlyCollection<RunRecord> runs, CancellationToken cancellationToken)
    {
        if (runs.Count == 0)
        {
            return;
        }

        await using var connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO runs (master, job, run_number, run_id) VALUES ($master, $job, $number, $id)";
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

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
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

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, QueueItem item)
    {
        command.Parameters.AddWithValue("$key", item.IdempotencyKey);
        command.Parameters.AddWithValue("$master", item.Master);
        command.Parameters.AddWithValue("$job", item.Job);
        command.Parameters.AddWithValue("$state", (int)item.State);
        command.Parameters.AddWithValue("$dispatch", item.DispatchId);
        command.Parameters.AddWithValue("$run_id", (object?)item.RunId ?? DBNull.Value);
        command.Parameters.AddWithValue("$run_number", (object?)item.RunNumber ?? DBNull.Value);
        command.Parameters.AddWithValue("$error_status", (object?)item.ErrorStatus ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)item.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$cancel", item.CancelRequested ? 1 : 0);
        command.Parameters.AddWithValue("$created", item.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$dispatched", (object?)item.DispatchedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$lease", (object?)item.LeaseUntil?.ToUnixTimeMilliseconds() ?? DBNull.Value);
    }

    private static async Task<List<QueueItem>> ReadItemsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var items = new List<QueueItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new QueueItem
            {
                Id = reader.GetInt64(0),
                IdempotencyKey = reader.GetString(1),
                Master = reader.GetString(2),
                Job = reader.GetString(3),
                State = (QueueItemState)reader.GetInt32(4),
                DispatchId = reader.GetString(5),
                RunId = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                RunNumber = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                ErrorStatus = reader.IsDBNull(8) ? null : reader.GetInt32(8),
                Error = reader.IsDBNull(9) ? null : reader.GetString(9),
                CancelRequested = reader.GetInt32(10) != 0,
                CreatedAt = FromMilliseconds(reader.GetInt64(11))!.Value,
                DispatchedAt = reader.IsDBNull(12) ? null : FromMilliseconds(reader.GetInt64(12)),
                LeaseUntil = reader.IsDBNull(13) ? null : FromMilliseconds(reader.GetInt64(13)),
            });
        }

        return items;
    }

    private static DateTimeOffset? FromMilliseconds(long value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value).ToOffset(TimeSpan.Zero);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"SQLite store ({_connectionString})");
}
