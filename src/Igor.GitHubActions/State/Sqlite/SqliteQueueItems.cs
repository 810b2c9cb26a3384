using Igor.GitHubActions.Igor.Queue;
using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State.Sqlite;

/// <summary>Queue items on SQLite: every write is <c>UPDATE … WHERE id = $id AND version = $version</c>.</summary>
internal sealed class SqliteQueueItems(SqliteDatabase db) : IQueueItems
{
    private const string ItemColumns =
        "id, version, idempotency_key, master, job, state, dispatch_id, request, attempts, attempt_started_at, run_id, run_number, " +
        "error_status, error, cancel_requested, cancel_sent, created_at, dispatched_at, lease_until";

    internal const string OpenCondition =
        $"state IN (0, 1, 4) OR (state = 2 AND cancel_requested = 1 AND cancel_sent = 0)";

    internal const string Schema = """
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
        """;

    /// <summary>Columns added after the first release, each with the value an older row means.</summary>
    private static readonly (string Name, string Definition)[] AddedQueueItemColumns =
    [
        ("version", "INTEGER NOT NULL DEFAULT 1"),
        ("request", "TEXT NULL"),
        ("attempts", "INTEGER NOT NULL DEFAULT 0"),
        ("attempt_started_at", "INTEGER NULL"),
        ("cancel_sent", "INTEGER NOT NULL DEFAULT 0"),
    ];

    public async Task<(QueueItem Item, bool Created)> GetOrCreateAsync(QueueItem candidate, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO queue_items (id, version, idempotency_key, master, job, state, dispatch_id, request, attempts, attempt_started_at, run_id,
                run_number, error_status, error, cancel_requested, cancel_sent, created_at, dispatched_at, lease_until)
            VALUES (MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'queue_items'), 0) + 1, $floor), 1, $key, $master, $job, $state,
                $dispatch, $request, $attempts, $attempt_started, $run_id, $run_number, $error_status, $error, $cancel, $cancel_sent, $created,
                $dispatched, $lease)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id;
            """;
        Bind(insert, candidate);
        insert.Parameters.AddWithValue("$cancel", candidate.CancelRequested ? 1 : 0);
        insert.Parameters.AddWithValue("$floor", QueueIds.Floor(candidate.CreatedAt));
        var id = await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (id is long created)
        {
            return (candidate with { Id = created, Version = 1 }, true);
        }

        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {ItemColumns} FROM queue_items WHERE idempotency_key = $key";
        select.Parameters.AddWithValue("$key", candidate.IdempotencyKey);
        var existing = await ReadItemsAsync(select, cancellationToken).ConfigureAwait(false);
        return (existing.Single(), false);
    }

    public async Task<QueueItem?> GetAsync(long queueId, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        return await GetAsync(connection, queueId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<QueueItem?> GetAsync(SqliteConnection connection, long queueId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ItemColumns} FROM queue_items WHERE id = $id";
        command.Parameters.AddWithValue("$id", queueId);
        return (await ReadItemsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<QueueItem?> TryUpdateAsync(QueueItem item, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE queue_items SET version = version + 1, state = $state, request = $request, attempts = $attempts,
                attempt_started_at = $attempt_started, run_id = $run_id, run_number = $run_number, error_status = $error_status,
                error = $error, cancel_sent = $cancel_sent, dispatched_at = $dispatched, lease_until = $lease
            WHERE id = $id AND version = $version
            RETURNING {ItemColumns}
            """;
        Bind(command, item);
        command.Parameters.AddWithValue("$id", item.Id);
        command.Parameters.AddWithValue("$version", item.Version);
        return (await ReadItemsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<QueueItem?> RequestCancelAsync(long queueId, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE queue_items SET version = version + 1, cancel_requested = 1 WHERE id = $id
            RETURNING {ItemColumns}
            """;
        command.Parameters.AddWithValue("$id", queueId);
        return (await ReadItemsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<QueueItem>> ListOpenAsync(string master, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ItemColumns} FROM queue_items WHERE master = $master AND {OpenCondition} ORDER BY id LIMIT 1000";
        command.Parameters.AddWithValue("$master", master);
        return await ReadItemsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<QueueItem?> FindByRunIdAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ItemColumns} FROM queue_items WHERE run_id = $run_id ORDER BY id LIMIT 1";
        command.Parameters.AddWithValue("$run_id", runId);
        return (await ReadItemsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    internal static void Migrate(SqliteConnection connection)
    {
        SqliteDatabase.AddMissingColumns(connection, "queue_items", AddedQueueItemColumns);
        SqliteDatabase.Execute(connection, "CREATE INDEX IF NOT EXISTS queue_items_run ON queue_items (run_id) WHERE run_id IS NOT NULL");
    }

    private static void Bind(SqliteCommand command, QueueItem item)
    {
        command.Parameters.AddWithValue("$key", item.IdempotencyKey);
        command.Parameters.AddWithValue("$master", item.Master);
        command.Parameters.AddWithValue("$job", item.Job);
        command.Parameters.AddWithValue("$state", (int)item.State);
        command.Parameters.AddWithValue("$dispatch", item.DispatchId);
        command.Parameters.AddWithValue("$request", (object?)item.Request ?? DBNull.Value);
        command.Parameters.AddWithValue("$attempts", item.Attempts);
        command.Parameters.AddWithValue("$attempt_started", (object?)item.AttemptStartedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$run_id", (object?)item.RunId ?? DBNull.Value);
        command.Parameters.AddWithValue("$run_number", (object?)item.RunNumber ?? DBNull.Value);
        command.Parameters.AddWithValue("$error_status", (object?)item.ErrorStatus ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)item.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$cancel_sent", item.CancelSent ? 1 : 0);
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
                Version = reader.GetInt64(1),
                IdempotencyKey = reader.GetString(2),
                Master = reader.GetString(3),
                Job = reader.GetString(4),
                State = (QueueItemState)reader.GetInt32(5),
                DispatchId = reader.GetString(6),
                Request = reader.IsDBNull(7) ? null : reader.GetString(7),
                Attempts = reader.GetInt32(8),
                AttemptStartedAt = reader.IsDBNull(9) ? null : SqliteDatabase.FromMilliseconds(reader.GetInt64(9)),
                RunId = reader.IsDBNull(10) ? null : reader.GetInt64(10),
                RunNumber = reader.IsDBNull(11) ? null : reader.GetInt32(11),
                ErrorStatus = reader.IsDBNull(12) ? null : reader.GetInt32(12),
                Error = reader.IsDBNull(13) ? null : reader.GetString(13),
                CancelRequested = reader.GetInt32(14) != 0,
                CancelSent = reader.GetInt32(15) != 0,
                CreatedAt = SqliteDatabase.FromMilliseconds(reader.GetInt64(16))!.Value,
                DispatchedAt = reader.IsDBNull(17) ? null : SqliteDatabase.FromMilliseconds(reader.GetInt64(17)),
                LeaseUntil = reader.IsDBNull(18) ? null : SqliteDatabase.FromMilliseconds(reader.GetInt64(18)),
            });
        }

        return items;
    }
}
