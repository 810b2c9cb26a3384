using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State.Sqlite;

/// <summary>Deployment statuses for GitHub on SQLite, in order per execution, claimed in IMMEDIATE transactions.</summary>
internal sealed class SqliteDeploymentStatuses(SqliteDatabase db) : IDeploymentStatusQueue
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS deployment_statuses (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL UNIQUE,
            grp TEXT NOT NULL,
            repository TEXT NOT NULL,
            deployment_id INTEGER NOT NULL,
            state TEXT NOT NULL,
            body TEXT NOT NULL,
            final INTEGER NOT NULL,
            event_time INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_at INTEGER NOT NULL,
            lease_until INTEGER NULL,
            done_at INTEGER NULL,
            outcome TEXT NULL,
            last_error TEXT NULL);
        CREATE INDEX IF NOT EXISTS deployment_statuses_pending ON deployment_statuses (done_at, grp, seq);
        """;

    private const string StatusColumns =
        "seq, key, grp, repository, deployment_id, state, body, final, event_time, attempts, next_at, last_error, outcome";

    public async Task<bool> EnqueueDeploymentStatusAsync(DeploymentStatusMessage message, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();

        // One statement, so the staleness check and the insert are atomic: a final status older than (or as old as) one
        // already filed for the execution is a repeated or out-of-order event.
        command.CommandText = """
            INSERT INTO deployment_statuses (key, grp, repository, deployment_id, state, body, final, event_time, next_at)
            SELECT $key, $grp, $repository, $deployment, $state, $body, $final, $time, $next
            WHERE $final = 0 OR NOT EXISTS (SELECT 1 FROM deployment_statuses WHERE grp = $grp AND final = 1 AND event_time >= $time)
            ON CONFLICT (key) DO NOTHING
            """;
        command.Parameters.AddWithValue("$key", message.Key);
        command.Parameters.AddWithValue("$grp", message.Group);
        command.Parameters.AddWithValue("$repository", message.Repository);
        command.Parameters.AddWithValue("$deployment", message.DeploymentId);
        command.Parameters.AddWithValue("$state", message.State);
        command.Parameters.AddWithValue("$body", message.Body);
        command.Parameters.AddWithValue("$final", message.Final ? 1 : 0);
        command.Parameters.AddWithValue("$time", message.EventTime);
        command.Parameters.AddWithValue("$next", message.NextAttemptAt.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<DeploymentStatusMessage>> ClaimDeploymentStatusesAsync(int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = $"""
            SELECT {StatusColumns} FROM deployment_statuses o
            WHERE o.done_at IS NULL AND o.next_at <= $now AND (o.lease_until IS NULL OR o.lease_until <= $now)
              AND o.seq = (SELECT MIN(h.seq) FROM deployment_statuses h WHERE h.grp = o.grp AND h.done_at IS NULL)
            ORDER BY o.seq LIMIT $max
            """;
        select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        select.Parameters.AddWithValue("$max", max);
        var claimed = await ReadStatusesAsync(select, cancellationToken).ConfigureAwait(false);

        await SqliteDatabase.LeaseAsync(connection, transaction, "deployment_statuses", "seq", claimed.Select(c => (object)c.Sequence), now + lease, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    public Task ReleaseDeploymentStatusesAsync(IReadOnlyCollection<string> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        db.ReleaseAsync("deployment_statuses", "seq", SqliteType.Integer, ids, leaseUntil, cancellationToken);

    public async Task CompleteDeploymentStatusAsync(long sequence, string outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE deployment_statuses SET done_at = $now, outcome = $outcome, last_error = $error, lease_until = NULL, attempts = attempts + 1
            WHERE seq = $seq
            """;
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$outcome", outcome);
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RescheduleDeploymentStatusAsync(long sequence, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE deployment_statuses SET next_at = $next, lease_until = NULL, attempts = attempts + 1, last_error = $error WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$next", nextAttemptAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$error", error);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeploymentStatusMessage>> ListDeploymentStatusesAsync(string executionId, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StatusColumns} FROM deployment_statuses WHERE grp = $grp ORDER BY seq";
        command.Parameters.AddWithValue("$grp", executionId);
        return await ReadStatusesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<DeploymentStatusMessage>> ReadStatusesAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var messages = new List<DeploymentStatusMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            messages.Add(new DeploymentStatusMessage
            {
                Sequence = reader.GetInt64(0),
                Key = reader.GetString(1),
                Group = reader.GetString(2),
                Repository = reader.GetString(3),
                DeploymentId = reader.GetInt64(4),
                State = reader.GetString(5),
                Body = reader.GetString(6),
                Final = reader.GetInt32(7) != 0,
                EventTime = reader.GetInt64(8),
                Attempts = reader.GetInt32(9),
                NextAttemptAt = SqliteDatabase.FromMilliseconds(reader.GetInt64(10))!.Value,
                LastError = reader.IsDBNull(11) ? null : reader.GetString(11),
                Outcome = reader.IsDBNull(12) ? null : reader.GetString(12),
            });
        }

        return messages;
    }
}
