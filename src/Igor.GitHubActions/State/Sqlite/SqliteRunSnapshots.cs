
namespace Igor.GitHubActions.State.Sqlite;

/// <summary>Webhook-fed run snapshots on SQLite; the upsert keeps the newest by (attempt, status rank, updated_at).</summary>
internal sealed class SqliteRunSnapshots(SqliteDatabase db) : IRunSnapshotStore
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS run_snapshots (
            run_id INTEGER PRIMARY KEY,
            json TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            rank INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            received_at INTEGER NOT NULL);
        """;

    public async Task SaveRunSnapshotAsync(RunSnapshot snapshot, CancellationToken cancellationToken)
    {
        await using var connection = db.Open(durable: false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO run_snapshots (run_id, json, attempt, rank, updated_at, received_at) VALUES ($id, $json, $attempt, $rank, $updated, $received)
            ON CONFLICT (run_id) DO UPDATE SET json = excluded.json, attempt = excluded.attempt, rank = excluded.rank,
                updated_at = excluded.updated_at, received_at = excluded.received_at
            WHERE excluded.attempt > run_snapshots.attempt
               OR (excluded.attempt = run_snapshots.attempt AND (excluded.rank > run_snapshots.rank
                   OR (excluded.rank = run_snapshots.rank AND excluded.updated_at >= run_snapshots.updated_at)))
            """;
        command.Parameters.AddWithValue("$id", snapshot.RunId);
        command.Parameters.AddWithValue("$json", snapshot.Json);
        command.Parameters.AddWithValue("$attempt", snapshot.Attempt);
        command.Parameters.AddWithValue("$rank", snapshot.StatusRank);
        command.Parameters.AddWithValue("$updated", snapshot.UpdatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$received", snapshot.ReceivedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<RunSnapshot?> GetRunSnapshotAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json, attempt, rank, updated_at, received_at FROM run_snapshots WHERE run_id = $id";
        command.Parameters.AddWithValue("$id", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new RunSnapshot(runId, reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), SqliteDatabase.FromMilliseconds(reader.GetInt64(3))!.Value, SqliteDatabase.FromMilliseconds(reader.GetInt64(4))!.Value)
            : null;
    }
}
