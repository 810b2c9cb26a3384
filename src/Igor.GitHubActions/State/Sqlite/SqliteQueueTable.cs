using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State.Sqlite;

/// <summary>
/// Where an <see cref="SqliteLeasedQueue{T}"/> keeps its items: a table of the one leased-queue layout (see
/// <see cref="Schema"/>) plus the columns that hold what an item carries, and how that is written and read.
/// </summary>
/// <param name="Name">The table.</param>
/// <param name="PayloadColumns">The payload's columns with their definitions, in the order <paramref name="Values"/> gives and <paramref name="Read"/> reads them.</param>
/// <param name="Values">The payload's column values.</param>
/// <param name="Read">The payload from a row whose payload columns start at the given ordinal.</param>
internal sealed record SqliteQueueTable<T>(
    string Name, IReadOnlyList<(string Column, string Definition)> PayloadColumns, Func<T, object[]> Values, Func<SqliteDataReader, int, T> Read)
{
    /// <summary>
    /// Whether an added item is on disk before the call returns. Off for items derived from a stored delivery, which is
    /// processed again if a power loss takes the item back.
    /// </summary>
    public bool DurableEnqueue { get; init; } = true;

    /// <summary>
    /// Whether an item marked done is on disk before the call returns. Off where doing an item again is harmless (a
    /// delivery processed again emits nothing new: the outbox keys its events).
    /// </summary>
    public bool DurableCompletion { get; init; } = true;

    /// <summary>
    /// Items added at the same moment are committed together (one transaction, so one sync to disk, for everything
    /// waiting), each caller answered once its item is on disk: for a queue fed by many concurrent requests.
    /// </summary>
    public bool GroupCommit { get; init; }

    /// <summary>
    /// The last payload column, kept in a table of its own keyed by the item's key: pruned, its pages are freed whole,
    /// and the rows kept for their keys stay densely packed (a value emptied in place would leave each row alone on a page).
    /// </summary>
    public DetachedColumn? Detached { get; init; }

    public string Schema => $"""
        CREATE TABLE IF NOT EXISTS {Name} (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL UNIQUE,
            grp TEXT NOT NULL,
            {string.Join(",\n    ", PayloadColumns.Select(c => $"{c.Column} {c.Definition}"))},
            final INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_at INTEGER NOT NULL,
            lease_until INTEGER NULL,
            done_at INTEGER NULL,
            outcome TEXT NULL,
            last_error TEXT NULL);
        CREATE INDEX IF NOT EXISTS {Name}_pending ON {Name} (done_at, grp, seq);
        CREATE INDEX IF NOT EXISTS {Name}_dead ON {Name} (seq) WHERE outcome = '{LeasedItem<T>.DeadLettered}';
        {(Detached is { } d ? $"CREATE TABLE IF NOT EXISTS {d.Table} ({d.KeyColumn} TEXT PRIMARY KEY, {d.Column} TEXT NOT NULL);" : "")}
        """;

    /// <summary>The payload's columns in the table itself.</summary>
    public string Columns => string.Join(", ", PayloadColumns.Select(c => c.Column));

    /// <summary>The payload's columns as a query over the table (alias <c>o</c>) reads them, the detached one last.</summary>
    public string SelectColumns => string.Join(", ", PayloadColumns.Select(c => $"o.{c.Column}")) + (Detached is { } d ? $", COALESCE(b.{d.Column}, '')" : "");

    /// <summary>The table, aliased <c>o</c>, with the detached column's table joined as <c>b</c>.</summary>
    public string From => $"{Name} o" + (Detached is { } d ? $" LEFT JOIN {d.Table} b ON b.{d.KeyColumn} = o.key" : "");
}

/// <summary>A payload column kept apart (see <see cref="SqliteQueueTable{T}.Detached"/>).</summary>
internal sealed record DetachedColumn(string Table, string KeyColumn, string Column);

/// <summary>The tables of the store's leased queues.</summary>
internal static class SqliteQueueTables
{
    public static readonly SqliteQueueTable<EchoMessage> EchoOutbox = new(
        "outbox", [("path", "TEXT NOT NULL"), ("body", "TEXT NOT NULL")],
        m => [m.Path, m.Body],
        (row, at) => new EchoMessage(row.GetString(at), row.GetString(at + 1)))
    {
        DurableEnqueue = false,
    };

    public static readonly SqliteQueueTable<WebhookPayload> Deliveries = new(
        "deliveries", [("event", "TEXT NOT NULL"), ("received_at", "INTEGER NOT NULL")],
        d => [d.Event, d.ReceivedAt.ToUnixTimeMilliseconds(), d.Body],
        (row, at) => new WebhookPayload(row.GetString(at), SqliteDatabase.FromMilliseconds(row.GetInt64(at + 1))!.Value, row.GetString(at + 2)))
    {
        GroupCommit = true,
        DurableCompletion = false,
        Detached = new DetachedColumn("delivery_bodies", "id", "body"),
    };

    public static readonly SqliteQueueTable<DeploymentStatusWrite> DeploymentStatuses = new(
        "deployment_statuses", [("repository", "TEXT NOT NULL"), ("deployment_id", "INTEGER NOT NULL"), ("state", "TEXT NOT NULL"), ("body", "TEXT NOT NULL")],
        s => [s.Repository, s.DeploymentId, s.State, s.Body],
        (row, at) => new DeploymentStatusWrite(row.GetString(at), row.GetInt64(at + 1), row.GetString(at + 2), row.GetString(at + 3)));

    /// <summary>
    /// Brings the queue tables a release before the common layout wrote up to it, in place and in one transaction: the
    /// outbox had <c>delivered_at</c> and <c>dead_reason</c> where every queue now has <c>done_at</c> and an outcome, the
    /// deployment statuses <c>event_time</c> where the layout has <c>version</c>, and the deliveries were keyed by id with
    /// <c>processed_at</c> (rebuilt in receipt order; their bodies' table is kept as it is).
    /// </summary>
    public static void Upgrade(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var outbox = SqliteDatabase.ColumnsOf(connection, "outbox");
        if (outbox.Contains("delivered_at"))
        {
            var dead = outbox.Contains("dead_reason");
            SqliteDatabase.Execute(connection, transaction, $"""
                ALTER TABLE outbox RENAME COLUMN delivered_at TO done_at;
                ALTER TABLE outbox ADD COLUMN final INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE outbox ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE outbox ADD COLUMN outcome TEXT NULL;
                UPDATE outbox SET outcome = {(dead ? $"CASE WHEN dead_reason IS NOT NULL THEN '{LeasedItem<EchoMessage>.DeadLettered}' ELSE 'delivered' END" : "'delivered'")},
                    last_error = {(dead ? "COALESCE(dead_reason, last_error)" : "last_error")}
                WHERE done_at IS NOT NULL;
                {(dead ? "ALTER TABLE outbox DROP COLUMN dead_reason;" : "")}
                """);
        }

        var deliveries = SqliteDatabase.ColumnsOf(connection, "deliveries");
        if (deliveries.Contains("processed_at"))
        {
            SqliteDatabase.Execute(connection, transaction, $"""
                ALTER TABLE deliveries RENAME TO deliveries_before;
                DROP INDEX IF EXISTS deliveries_open;
                {Deliveries.Schema}
                INSERT INTO deliveries (key, grp, event, received_at, next_at, lease_until, done_at, outcome)
                SELECT id, '', event, received_at, received_at, lease_until, processed_at, CASE WHEN processed_at IS NOT NULL THEN 'processed' END
                FROM deliveries_before ORDER BY received_at, id;
                INSERT OR IGNORE INTO delivery_bodies (id, body) SELECT id, body FROM deliveries_before WHERE body <> '';
                DROP TABLE deliveries_before;
                """);
        }

        if (SqliteDatabase.ColumnsOf(connection, "deployment_statuses").Contains("event_time"))
        {
            SqliteDatabase.Execute(connection, transaction, "ALTER TABLE deployment_statuses RENAME COLUMN event_time TO version;");
        }

        transaction.Commit();
    }
}
