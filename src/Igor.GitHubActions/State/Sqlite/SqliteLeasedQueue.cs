using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State.Sqlite;

/// <summary>
/// A leased queue in one SQLite table (<see cref="SqliteQueueTable{T}"/>): claims are taken in IMMEDIATE transactions, one
/// head per group (an item of the empty group heads its own); every change to a claimed item is conditional on the claim
/// it was handed out under.
/// </summary>
internal sealed class SqliteLeasedQueue<T> : ILeasedQueue<T>
{
    private static readonly string[] LayoutParameters = ["$key", "$grp", "$final", "$version", "$next"];

    /// <summary>The most items committed in one transaction by the group-committing writer.</summary>
    private const int EnqueueBatch = 64;

    private readonly SqliteDatabase db;
    private readonly SqliteQueueTable<T> table;
    private readonly string _select;
    private readonly string _insert;
    private readonly Channel<PendingEnqueue>? _writes;

    public SqliteLeasedQueue(SqliteDatabase database, SqliteQueueTable<T> queueTable)
    {
        (db, table) = (database, queueTable);
        _select = $"o.seq, o.key, o.grp, o.attempts, o.next_at, o.last_error, o.outcome, o.done_at, {table.SelectColumns}";
        var main = table.PayloadColumns.Count;

        // One statement, so the staleness check and the insert are atomic; a detached value is written only with its row.
        _insert = $"""
            INSERT INTO {table.Name} (key, grp, {table.Columns}, final, version, next_at)
            SELECT $key, $grp, {string.Join(", ", Enumerable.Range(0, main).Select(i => $"$p{i}"))}, $final, $version, $next
            WHERE $final = 0 OR NOT EXISTS (SELECT 1 FROM {table.Name} WHERE grp = $grp AND final = 1 AND version >= $version)
            ON CONFLICT (key) DO NOTHING;
            {(table.Detached is { } d ? $"INSERT INTO {d.Table} ({d.KeyColumn}, {d.Column}) SELECT $key, $p{main} WHERE changes() = 1;" : "")}
            """;
        ClaimQueries = [.. new[] { "o.grp = ''", $"o.grp > '' AND o.seq = (SELECT MIN(h.seq) FROM {table.Name} h WHERE h.grp = o.grp AND h.done_at IS NULL)" }
            .Select(heads => $"""
                SELECT {_select} FROM {table.From}
                WHERE o.done_at IS NULL AND {heads} AND o.next_at <= $now AND (o.lease_until IS NULL OR o.lease_until <= $now)
                ORDER BY o.seq LIMIT $max
                """)];
        if (table.GroupCommit)
        {
            _writes = Channel.CreateUnbounded<PendingEnqueue>(new UnboundedChannelOptions { SingleReader = true });
            _ = Task.Run(WriteBatchesAsync);
        }
    }

    /// <summary>
    /// What a claim reads, in turn, from the pending index (done_at, grp, seq): the items of no group, oldest first (an
    /// ordered walk that stops at <c>$max</c>), then the heads of the groups (a range that skips the ungrouped ones). One
    /// read with an OR of the two would sort every pending item on each claim: slow under a backlog of deliveries, with
    /// the write lock held.
    /// </summary>
    internal IReadOnlyList<string> ClaimQueries { get; }

    /// <summary>Rows one added item writes: its row, and its detached value.</summary>
    private int RowsPerItem => table.Detached is null ? 1 : 2;

    public async Task<bool> EnqueueAsync(NewLeasedItem<T> item, CancellationToken cancellationToken)
    {
        if (_writes is not null)
        {
            var pending = new PendingEnqueue(item, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
            if (!_writes.Writer.TryWrite(pending))
            {
                throw new InvalidOperationException($"the writer of {table.Name} has stopped");
            }

            return await pending.Stored.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var connection = db.Open(table.DurableEnqueue);
        await using var command = connection.CreateCommand();
        Bind(command, item);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == RowsPerItem;
    }

    /// <summary>The single writer of a group-committed queue: takes what is waiting (up to <see cref="EnqueueBatch"/>) and commits it at once.</summary>
    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingEnqueue>(EnqueueBatch);
        while (await _writes!.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < EnqueueBatch && _writes.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                var stored = new bool[batch.Count];
                await using (var connection = db.Open(table.DurableEnqueue))
                {
                    await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync().ConfigureAwait(false);

                    // One command for the batch: its statements are prepared once, and only the values change.
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    for (var i = 0; i < batch.Count; i++)
                    {
                        Bind(command, batch[i].Item);
                        stored[i] = await command.ExecuteNonQueryAsync().ConfigureAwait(false) == RowsPerItem;
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

    /// <summary>Sets the insert's values for <paramref name="item"/>; a command bound before keeps its statement and parameters.</summary>
    private void Bind(SqliteCommand command, NewLeasedItem<T> item)
    {
        var values = table.Values(item.Payload);
        if (command.Parameters.Count == 0)
        {
            command.CommandText = _insert;
            foreach (var name in LayoutParameters.Concat(Enumerable.Range(0, values.Length).Select(i => $"$p{i}")))
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        command.Parameters["$key"].Value = item.Key;
        command.Parameters["$grp"].Value = item.Group;
        command.Parameters["$final"].Value = item.Final ? 1 : 0;
        command.Parameters["$version"].Value = item.Version;
        command.Parameters["$next"].Value = item.DueAt.ToUnixTimeMilliseconds();
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[$"$p{i}"].Value = values[i];
        }
    }

    private sealed record PendingEnqueue(NewLeasedItem<T> Item, TaskCompletionSource<bool> Stored);

    public async Task<bool> ContainsAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT 1 FROM {table.Name} WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlyList<LeasedItem<T>>> ClaimAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now + lease;
        await using var connection = db.Open(durable: false);
        await using var transaction = connection.BeginTransaction(deferred: false);

        var claimed = new List<LeasedItem<T>>();
        foreach (var query in ClaimQueries)
        {
            if (claimed.Count >= max)
            {
                break;
            }

            await using var select = connection.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = query;
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            select.Parameters.AddWithValue("$max", max - claimed.Count);
            claimed.AddRange((await ReadAsync(select, cancellationToken).ConfigureAwait(false)).Select(i => i with { LeaseUntil = until }));
        }

        // Leased inside the claiming (IMMEDIATE) transaction, so no other worker can take them.
        await SetLeaseAsync(connection, transaction, claimed.Select(c => c.Sequence), until, held: null, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    public async Task ReleaseAsync(IReadOnlyCollection<LeasedItem<T>> claimed, CancellationToken cancellationToken)
    {
        foreach (var claim in claimed.Where(c => c.LeaseUntil is not null).GroupBy(c => c.LeaseUntil!.Value))
        {
            // Only claims still held under that lease: a finished item, or one another worker took, keeps its state.
            await using var connection = db.Open();
            await using var transaction = connection.BeginTransaction(deferred: false);
            await SetLeaseAsync(connection, transaction, claim.Select(c => c.Sequence), until: null, held: claim.Key, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<bool> CompleteAsync(LeasedItem<T> claimed, string outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateClaimedAsync(claimed, "done_at = $now, outcome = $outcome, last_error = $error", table.DurableCompletion, cancellationToken,
            ("$now", now.ToUnixTimeMilliseconds()), ("$outcome", outcome), ("$error", error));

    public Task<bool> RescheduleAsync(LeasedItem<T> claimed, DateTimeOffset dueAt, string error, CancellationToken cancellationToken) =>
        UpdateClaimedAsync(claimed, "next_at = $next, last_error = $error", durable: false, cancellationToken,
            ("$next", dueAt.ToUnixTimeMilliseconds()), ("$error", error));

    public Task<bool> DeadLetterAsync(LeasedItem<T> claimed, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        CompleteAsync(claimed, LeasedItem<T>.DeadLettered, reason, now, cancellationToken);

    public async Task<IReadOnlyList<LeasedItem<T>>> ListGroupAsync(string group, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {_select} FROM {table.From} WHERE o.grp = $grp ORDER BY o.seq";
        command.Parameters.AddWithValue("$grp", group);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<LeasedItem<T>>> ListDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {_select} FROM {table.From} WHERE o.outcome = '{LeasedItem<T>.DeadLettered}' ORDER BY o.seq DESC LIMIT $max";
        command.Parameters.AddWithValue("$max", max);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table.Name} WHERE done_at IS NULL";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Changes a claimed item only while it is held under the claim it was handed out under (compare-and-set on the
    /// lease): a worker whose lease ran out and whose item another worker took cannot overwrite that worker's outcome.
    /// Every change ends the claim and counts an attempt.
    /// </summary>
    private async Task<bool> UpdateClaimedAsync(LeasedItem<T> claimed, string set, bool durable, CancellationToken cancellationToken, params (string Name, object? Value)[] values)
    {
        if (claimed.LeaseUntil is not { } leaseUntil)
        {
            throw new ArgumentException("only a claimed item can be finished", nameof(claimed));
        }

        await using var connection = db.Open(durable);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE {table.Name} SET {set}, lease_until = NULL, attempts = attempts + 1
            WHERE seq = $seq AND lease_until = $lease AND done_at IS NULL
            """;
        command.Parameters.AddWithValue("$seq", claimed.Sequence);
        command.Parameters.AddWithValue("$lease", leaseUntil.ToUnixTimeMilliseconds());
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Sets the lease of <paramref name="items"/> to <paramref name="until"/> (null gives them back), each only while it is held under <paramref name="held"/> when that is given.</summary>
    private async Task SetLeaseAsync(
        SqliteConnection connection, SqliteTransaction transaction, IEnumerable<long> items, DateTimeOffset? until, DateTimeOffset? held, CancellationToken cancellationToken)
    {
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = $"UPDATE {table.Name} SET lease_until = $until WHERE seq = $seq" + (held is null ? "" : " AND lease_until = $held");
        var seq = update.Parameters.Add("$seq", SqliteType.Integer);
        update.Parameters.AddWithValue("$until", (object?)until?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        update.Parameters.AddWithValue("$held", (object?)held?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        foreach (var item in items)
        {
            seq.Value = item;
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<LeasedItem<T>>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var items = new List<LeasedItem<T>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new LeasedItem<T>(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), table.Read(reader, 8))
            {
                Attempts = reader.GetInt32(3),
                DueAt = SqliteDatabase.FromMilliseconds(reader.GetInt64(4))!.Value,
                LastError = reader.IsDBNull(5) ? null : reader.GetString(5),
                Outcome = reader.IsDBNull(6) ? null : reader.GetString(6),
                DoneAt = reader.IsDBNull(7) ? null : SqliteDatabase.FromMilliseconds(reader.GetInt64(7)),
            });
        }

        return items;
    }
}
