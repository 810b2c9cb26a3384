using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State;

/// <summary>Deployment ↔ execution links, the outbox of deployment statuses for GitHub, and workflow-stage runs.</summary>
internal sealed partial class SqliteStateStore
{
    private const string DeploymentsSchema = """
        CREATE TABLE IF NOT EXISTS deployment_links (
            execution_id TEXT PRIMARY KEY,
            repository TEXT NOT NULL,
            deployment_id INTEGER NOT NULL,
            application TEXT NOT NULL,
            pipeline TEXT NOT NULL,
            linked_at INTEGER NOT NULL);
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
        CREATE TABLE IF NOT EXISTS stage_runs (
            master TEXT NOT NULL,
            job TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            stage_key TEXT NOT NULL,
            queue_id INTEGER NOT NULL,
            PRIMARY KEY (master, job, execution_id, stage_key));
        """;

    private const string StatusColumns =
        "seq, key, grp, repository, deployment_id, state, body, final, event_time, attempts, next_at, last_error, outcome";

    public async Task LinkDeploymentAsync(DeploymentLink link, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO deployment_links (execution_id, repository, deployment_id, application, pipeline, linked_at, environment)
            VALUES ($id, $repository, $deployment, $application, $pipeline, $at, $environment) ON CONFLICT (execution_id) DO NOTHING
            """;
        command.Parameters.AddWithValue("$id", link.ExecutionId);
        command.Parameters.AddWithValue("$repository", link.Repository);
        command.Parameters.AddWithValue("$deployment", link.DeploymentId);
        command.Parameters.AddWithValue("$application", link.Application);
        command.Parameters.AddWithValue("$pipeline", link.Pipeline);
        command.Parameters.AddWithValue("$at", link.LinkedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$environment", (object?)link.Environment ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeploymentLink?> GetDeploymentLinkAsync(string executionId, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT execution_id, repository, deployment_id, application, pipeline, linked_at, environment FROM deployment_links WHERE execution_id = $id";
        command.Parameters.AddWithValue("$id", executionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new DeploymentLink(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), FromMilliseconds(reader.GetInt64(5))!.Value,
                reader.IsDBNull(6) ? null : reader.GetString(6))
            : null;
    }

    public async Task<bool> EnqueueDeploymentStatusAsync(DeploymentStatusMessage message, CancellationToken cancellationToken)
    {
        await using var connection = Open();
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
        await using var connection = Open();
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

        await LeaseAsync(connection, transaction, "deployment_statuses", "seq", claimed.Select(c => (object)c.Sequence), now + lease, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    public async Task CompleteDeploymentStatusAsync(long sequence, string outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = Open();
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
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE deployment_statuses SET next_at = $next, lease_until = NULL, attempts = attempts + 1, last_error = $error WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$next", nextAttemptAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$error", error);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeploymentStatusMessage>> ListDeploymentStatusesAsync(string executionId, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StatusColumns} FROM deployment_statuses WHERE grp = $grp ORDER BY seq";
        command.Parameters.AddWithValue("$grp", executionId);
        return await ReadStatusesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task RecordStageRunAsync(StageRun run, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO stage_runs (master, job, execution_id, stage_key, queue_id, recorded_at)
            VALUES ($master, $job, $execution, $stage, $queue, CAST(unixepoch('subsec') * 1000 AS INTEGER))
            ON CONFLICT (master, job, execution_id, stage_key) DO UPDATE SET queue_id = excluded.queue_id, recorded_at = excluded.recorded_at
            """;
        command.Parameters.AddWithValue("$master", run.Master);
        command.Parameters.AddWithValue("$job", run.Job);
        command.Parameters.AddWithValue("$execution", run.ExecutionId);
        command.Parameters.AddWithValue("$stage", run.StageKey);
        command.Parameters.AddWithValue("$queue", run.QueueId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<StageRun?> FindStageRunAsync(string master, string job, string executionId, string stageKey, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT queue_id FROM stage_runs WHERE master = $master AND job = $job AND execution_id = $execution AND stage_key = $stage";
        command.Parameters.AddWithValue("$master", master);
        command.Parameters.AddWithValue("$job", job);
        command.Parameters.AddWithValue("$execution", executionId);
        command.Parameters.AddWithValue("$stage", stageKey);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long queueId
            ? new StageRun(master, job, executionId, stageKey, queueId)
            : null;
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
                NextAttemptAt = FromMilliseconds(reader.GetInt64(10))!.Value,
                LastError = reader.IsDBNull(11) ? null : reader.GetString(11),
                Outcome = reader.IsDBNull(12) ? null : reader.GetString(12),
            });
        }

        return messages;
    }
}
