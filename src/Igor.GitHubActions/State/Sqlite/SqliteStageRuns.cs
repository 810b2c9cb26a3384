namespace Igor.GitHubActions.State.Sqlite;

/// <summary>The runs and deployments custom stages started, on SQLite.</summary>
internal sealed class SqliteStageRuns(SqliteDatabase db) : IStageRuns
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS stage_runs (
            master TEXT NOT NULL,
            job TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            stage_key TEXT NOT NULL,
            queue_id INTEGER NOT NULL,
            PRIMARY KEY (master, job, execution_id, stage_key));
        """;

    public async Task RecordStageRunAsync(StageRun run, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
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
        await using var connection = db.Open();
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
}
