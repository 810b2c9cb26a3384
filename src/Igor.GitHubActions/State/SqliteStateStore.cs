using System.Globalization;
using Igor.GitHubActions.Igor.Queue;
using Igor.GitHubActions.State.Sqlite;

namespace Igor.GitHubActions.State;

/// <summary>The store on one SQLite file (the single-process default): a port per feature over one <see cref="SqliteDatabase"/>.</summary>
internal sealed class SqliteStateStore : IStateStore, IStoreIdentity, IStatePruning
{
    private readonly SqliteDatabase db;

    public SqliteStateStore(string path)
    {
        db = new SqliteDatabase(path);
        QueueItems = new SqliteQueueItems(db);
        Runs = new SqliteRunIndex(db);
        Deliveries = new SqliteLeasedQueue<WebhookPayload>(db, SqliteQueueTables.Deliveries);
        Outbox = new SqliteLeasedQueue<EchoMessage>(db, SqliteQueueTables.EchoOutbox);
        Snapshots = new SqliteRunSnapshots(db);
        DeploymentLinks = new SqliteDeploymentLinks(db);
        DeploymentStatuses = new SqliteLeasedQueue<DeploymentStatusWrite>(db, SqliteQueueTables.DeploymentStatuses);
        StageRuns = new SqliteStageRuns(db);
    }

    public IQueueItems QueueItems { get; }

    public IRunIndex Runs { get; }

    public ILeasedQueue<WebhookPayload> Deliveries { get; }

    public ILeasedQueue<EchoMessage> Outbox { get; }

    public IRunSnapshotStore Snapshots { get; }

    public IDeploymentLinks DeploymentLinks { get; }

    public ILeasedQueue<DeploymentStatusWrite> DeploymentStatuses { get; }

    public IStageRuns StageRuns { get; }

    public async Task<StoreIdentity> GetOrCreateIdentityAsync(StoreIdentity candidate, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
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

    /// <summary>Retention on SQLite: small delete batches per table, then the freed pages are given back (incremental vacuum).</summary>
    public async Task<PruneResult> PruneAsync(PrunePolicy policy, CancellationToken cancellationToken)
    {
        var before = policy.Before.ToUnixTimeMilliseconds();
        var ids = policy.DeliveryIdsBefore.ToUnixTimeMilliseconds();
        var result = new PruneResult(
            QueueItems: await BatchesAsync($"DELETE FROM queue_items WHERE id IN (SELECT id FROM queue_items WHERE created_at < $before AND NOT ({SqliteQueueItems.OpenCondition}) LIMIT $batch)", before, policy, cancellationToken).ConfigureAwait(false),
            Runs: await BatchesAsync("DELETE FROM runs WHERE rowid IN (SELECT rowid FROM runs WHERE recorded_at < $before LIMIT $batch)", before, policy, cancellationToken).ConfigureAwait(false),
            DeliveryBodies: await BatchesAsync("DELETE FROM delivery_bodies WHERE id IN (SELECT b.id FROM delivery_bodies b LEFT JOIN deliveries d ON d.key = b.id WHERE d.key IS NULL OR d.done_at < $before LIMIT $batch)", before, policy, cancellationToken).ConfigureAwait(false),
            Deliveries: await BatchesAsync("DELETE FROM deliveries WHERE seq IN (SELECT seq FROM deliveries WHERE done_at IS NOT NULL AND done_at < $before LIMIT $batch)", ids, policy, cancellationToken).ConfigureAwait(false),
            OutboxMessages: await BatchesAsync($"DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE done_at IS NOT NULL AND outcome <> '{LeasedItem<EchoMessage>.DeadLettered}' AND done_at < $before LIMIT $batch)", before, policy, cancellationToken).ConfigureAwait(false),
            Snapshots: await BatchesAsync("DELETE FROM run_snapshots WHERE run_id IN (SELECT run_id FROM run_snapshots WHERE received_at < $before LIMIT $batch)", before, policy, cancellationToken).ConfigureAwait(false),
            DeploymentLinks: await BatchesAsync("DELETE FROM deployment_links WHERE execution_id IN (SELECT execution_id FROM deployment_links WHERE linked_at < $before LIMIT $batch)", before, policy, cancellationToken).ConfigureAwait(false),
            DeploymentStatuses: await BatchesAsync("DELETE FROM deployment_statuses WHERE seq IN (SELECT seq FROM deployment_statuses WHERE done_at IS NOT NULL AND done_at < $before LIMIT $batch)", before, policy, cancellationToken).ConfigureAwait(false),
            StageRuns: await BatchesAsync("DELETE FROM stage_runs WHERE rowid IN (SELECT rowid FROM stage_runs WHERE recorded_at < $before LIMIT $batch)", before, policy, cancellationToken).ConfigureAwait(false));
        if (result.Total > 0)
        {
            await using var connection = db.Open();
            // The freed pages go back to the file system, and the write-ahead log that carried the deletes is truncated.
            SqliteDatabase.Execute(connection, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);");
        }

        return result;
    }

    /// <summary>Size of the database file and its write-ahead log, in bytes.</summary>
    internal long FileBytes() => db.FileBytes();

    /// <summary>The durability settings of <paramref name="count"/> connections open at once (distinct pooled connections).</summary>
    internal IReadOnlyList<long> SynchronousOfConnections(int count) => db.SynchronousOfConnections(count);

    private async Task<int> BatchesAsync(string statement, long before, PrunePolicy policy, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var connection = db.Open();
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            command.Parameters.AddWithValue("$before", before);
            command.Parameters.AddWithValue("$batch", policy.BatchSize);
            var pruned = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += pruned;
            if (pruned < policy.BatchSize)
            {
                return total;
            }
        }
    }

    public override string ToString() => db.ToString();
}
