using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State.Sqlite;

/// <summary>The Echo outbox on SQLite: claims are taken in IMMEDIATE transactions, one head per group.</summary>
internal sealed class SqliteOutbox(SqliteDatabase db) : IOutboxStore
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL UNIQUE,
            grp TEXT NOT NULL,
            path TEXT NOT NULL,
            body TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_at INTEGER NOT NULL,
            lease_until INTEGER NULL,
            delivered_at INTEGER NULL,
            last_error TEXT NULL);
        CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (delivered_at, grp, seq);
        """;

    public async Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        await using var connection = db.Open(durable: false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO outbox (key, grp, path, body, next_at) VALUES ($key, $grp, $path, $body, $next)
            ON CONFLICT (key) DO NOTHING
            """;
        command.Parameters.AddWithValue("$key", message.Key);
        command.Parameters.AddWithValue("$grp", message.Group);
        command.Parameters.AddWithValue("$path", message.Path);
        command.Parameters.AddWithValue("$body", message.Body);
        command.Parameters.AddWithValue("$next", message.NextAttemptAt.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> HasOutboxKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM outbox WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = db.Open(durable: false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = """
            SELECT o.seq, o.key, o.grp, o.path, o.body, o.attempts, o.next_at, o.last_error FROM outbox o
            WHERE o.delivered_at IS NULL AND o.next_at <= $now AND (o.lease_until IS NULL OR o.lease_until <= $now)
              AND o.seq = (SELECT MIN(h.seq) FROM outbox h WHERE h.grp = o.grp AND h.delivered_at IS NULL)
            ORDER BY o.seq LIMIT $max
            """;
        select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        select.Parameters.AddWithValue("$max", max);
        var claimed = new List<OutboxMessage>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(new OutboxMessage
                {
                    Sequence = reader.GetInt64(0),
                    Key = reader.GetString(1),
                    Group = reader.GetString(2),
                    Path = reader.GetString(3),
                    Body = reader.GetString(4),
                    Attempts = reader.GetInt32(5),
                    NextAttemptAt = SqliteDatabase.FromMilliseconds(reader.GetInt64(6))!.Value,
                    LastError = reader.IsDBNull(7) ? null : reader.GetString(7),
                });
            }
        }

        await SqliteDatabase.LeaseAsync(connection, transaction, "outbox", "seq", claimed.Select(c => (object)c.Sequence), now + lease, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    public Task ReleaseOutboxAsync(IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        db.ReleaseAsync("outbox", "seq", SqliteType.Integer, ids, leaseUntil, cancellationToken);

    public async Task MarkDeliveredAsync(long sequence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET delivered_at = $now, lease_until = NULL, attempts = attempts + 1 WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RescheduleAsync(long sequence, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = db.Open(durable: false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET next_at = $next, lease_until = NULL, attempts = attempts + 1, last_error = $error WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$next", nextAttemptAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$error", error);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeadLetterAsync(long sequence, DateTimeOffset now, string reason, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE outbox SET delivered_at = $now, lease_until = NULL, attempts = attempts + 1, last_error = $reason, dead_reason = $reason
            WHERE seq = $seq
            """;
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, key, grp, path, attempts, dead_reason, delivered_at FROM outbox WHERE dead_reason IS NOT NULL ORDER BY seq DESC LIMIT $max";
        command.Parameters.AddWithValue("$max", max);
        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            letters.Add(new DeadLetter(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetString(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)).ToOffset(TimeSpan.Zero)));
        }

        return letters;
    }

    public async Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
