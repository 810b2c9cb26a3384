using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State.Sqlite;

/// <summary>Webhook deliveries on SQLite: written by one group-committing writer, claimed in IMMEDIATE transactions so one worker wins.</summary>
internal sealed class SqliteDeliveryLog : IDeliveryLog
{
    private readonly SqliteDatabase db;

    internal const string Schema = """
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
        """;

    /// <summary>The most deliveries committed in one transaction.</summary>
    private const int DeliveryBatch = 64;

    private readonly System.Threading.Channels.Channel<PendingDelivery> _queue =
        System.Threading.Channels.Channel.CreateUnbounded<PendingDelivery>(new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true });

    public SqliteDeliveryLog(SqliteDatabase database)
    {
        db = database;
        _ = Task.Run(WriteDeliveriesAsync);
    }

    /// <summary>
    /// Stores a delivery durably before it is acknowledged. Concurrent deliveries are written together (group commit): one
    /// transaction, so one sync to disk, for every delivery waiting at that moment, and each caller is answered only once
    /// its delivery is on disk.
    /// </summary>
    public Task<bool> AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var pending = new PendingDelivery(delivery, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the delivery writer has stopped");
        }

        return pending.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The single writer of deliveries: takes what is waiting (up to <see cref="DeliveryBatch"/>) and commits it at once.</summary>
    private async Task WriteDeliveriesAsync()
    {
        var batch = new List<PendingDelivery>(DeliveryBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < DeliveryBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                var stored = new bool[batch.Count];
                await using (var connection = db.Open())
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
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM deliveries WHERE id = $id";
        command.Parameters.AddWithValue("$id", deliveryId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ClaimDeliveriesAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = db.Open(durable: false);
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
                claimed.Add(new WebhookDelivery(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqliteDatabase.FromMilliseconds(reader.GetInt64(3))!.Value));
            }
        }

        await SqliteDatabase.LeaseAsync(connection, transaction, "deliveries", "id", claimed.Select(c => (object)c.Id), now + lease, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    public Task ReleaseDeliveriesAsync(IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        db.ReleaseAsync("deliveries", "id", SqliteType.Text, ids, leaseUntil, cancellationToken);

    public async Task CompleteDeliveryAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = db.Open(durable: false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE deliveries SET processed_at = $now, lease_until = NULL WHERE id = $id";
        command.Parameters.AddWithValue("$id", deliveryId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
