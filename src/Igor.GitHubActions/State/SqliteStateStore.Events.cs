using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State;

/// <summary>Webhook deliveries and the Echo outbox; claims are taken in IMMEDIATE transactions so one worker wins.</summary>
internal sealed partial class SqliteStateStore
{
    private const string EventsSchema = """
        CREATE TABLE IF NOT EXISTS deliveries (
            id TEXT PRIMARY KEY,
            event TEXT NOT NULL,
            body TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            processed_at INTEGER NULL,
            lease_until INTEGER NULL);
        CREATE INDEX IF NOT EXISTS deliveries_open ON deliveries (processed_at, received_at);
        CREATE TABLE IF NOT EXISTS delivery_bodies (
            id TEXT PRIMARY KEY,
            body TEXT NOT NULL);
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

    /// <summary>
    /// Stores a delivery durably before it is acknowledged. Concurrent deliveries are written together (group commit): one
    /// transaction, so one sync to disk, for every delivery waiting at that moment, and each caller is answered only once
    /// its delivery is on disk.
    /// </summary>
    public Task<bool> AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var pending = new PendingDelivery(delivery, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_deliveryQueue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the delivery writer has stopped");
        }

        return pending.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The single writer of deliveries: takes what is waiting (up to <see cref="DeliveryBatch"/>) and commits it at once.</summary>
    private async Task WriteDeliveriesAsync()
    {
        var batch = new List<PendingDelivery>(DeliveryBatch);
        while (await _deliveryQueue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < DeliveryBatch && _deliveryQueue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                var stored = new bool[batch.Count];
                await using (var connection = Open())
                {
                    await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync().ConfigureAwait(false);
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    // The body has a table of its own: pruned, its pages are freed whole, and the ids kept for dedupe stay
                    // densely packed (a body emptied in place would leave each id alone on a page).
                    command.CommandText = """
                        INSERT INTO deliveries (id, event, body, received_at) VALUES ($id, $event, '', $at) ON CONFLICT (id) DO NOTHING;
                        INSERT INTO delivery_bodies (id, body) SELECT $id, $body WHERE changes() = 1;
                        """;
                    var id = command.Parameters.Add("$id", SqliteType.Text);
                    var name = command.Parameters.Add("$event", SqliteType.Text);
                    var body = command.Parameters.Add("$body", SqliteType.Text);
                    var at = command.Parameters.Add("$at", SqliteType.Integer);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        var delivery = batch[i].Delivery;
                        (id.Value, name.Value, body.Value, at.Value) = (delivery.Id, delivery.Event, delivery.Body, delivery.ReceivedAt.ToUnixTimeMilliseconds());
                        stored[i] = await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 2;
                    }

                    await transaction.CommitAsync().ConfigureAwait(false);
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Stored.TrySetResult(stored[i]);
                }
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Stored.TrySetException(e));
            }
        }
    }

    private sealed record PendingDelivery(WebhookDelivery Delivery, TaskCompletionSource<bool> Stored);

    public async Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM deliveries WHERE id = $id";
        command.Parameters.AddWithValue("$id", deliveryId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ClaimDeliveriesAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = Open(durable: false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = """
            SELECT d.id, d.event, COALESCE(b.body, d.body), d.received_at FROM deliveries d LEFT JOIN delivery_bodies b ON b.id = d.id
            WHERE d.processed_at IS NULL AND (d.lease_until IS NULL OR d.lease_until <= $now)
            ORDER BY d.received_at LIMIT $max
            """;
        select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        select.Parameters.AddWithValue("$max", max);
        var claimed = new List<WebhookDelivery>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(new WebhookDelivery(reader.GetString(0), reader.GetString(1), reader.GetString(2), FromMilliseconds(reader.GetInt64(3))!.Value));
            }
        }

        await LeaseAsync(connection, transaction, "deliveries", "id", claimed.Select(c => (object)c.Id), now + lease, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    public async Task CompleteDeliveryAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = Open(durable: false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE deliveries SET processed_at = $now, lease_until = NULL WHERE id = $id";
        command.Parameters.AddWithValue("$id", deliveryId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        await using var connection = Open(durable: false);
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
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM outbox WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = Open(durable: false);
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
                    NextAttemptAt = FromMilliseconds(reader.GetInt64(6))!.Value,
                    LastError = reader.IsDBNull(7) ? null : reader.GetString(7),
                });
            }
        }

        await LeaseAsync(connection, transaction, "outbox", "seq", claimed.Select(c => (object)c.Sequence), now + lease, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    public async Task MarkDeliveredAsync(long sequence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET delivered_at = $now, lease_until = NULL, attempts = attempts + 1 WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RescheduleAsync(long sequence, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = Open(durable: false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET next_at = $next, lease_until = NULL, attempts = attempts + 1, last_error = $error WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$next", nextAttemptAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$error", error);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeadLetterAsync(long sequence, DateTimeOffset now, string reason, CancellationToken cancellationToken)
    {
        await using var connection = Open();
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
        await using var connection = Open();
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
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
