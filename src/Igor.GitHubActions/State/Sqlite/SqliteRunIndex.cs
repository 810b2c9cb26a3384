using Microsoft.Data.Sqlite;

namespace Igor.GitHubActions.State.Sqlite;

/// <summary>Run number → run id on SQLite (<c>runs</c>).</summary>
internal sealed class SqliteRunIndex(SqliteDatabase db) : IRunIndex
{
    internal const string Schema = """
            CREATE TABLE IF NOT EXISTS runs (
                master TEXT NOT NULL,
                job TEXT NOT NULL,
                run_number INTEGER NOT NULL,
                run_id INTEGER NOT NULL,
                PRIMARY KEY (master, job, run_number));
        """;

    public async Task RecordRunsAsync(IReadOnlyCollection<RunRecord> runs, CancellationToken cancellationToken)
    {
        if (runs.Count == 0)
        {
            return;
        }

        await using var connection = db.Open(durable: false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO runs (master, job, run_number, run_id, recorded_at) VALUES ($master, $job, $number, $id, CAST(unixepoch('subsec') * 1000 AS INTEGER))";
        var master = command.Parameters.Add("$master", SqliteType.Text);
        var job = command.Parameters.Add("$job", SqliteType.Text);
        var number = command.Parameters.Add("$number", SqliteType.Integer);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var run in runs)
        {
            master.Value = run.Master;
            job.Value = run.Job;
            number.Value = run.RunNumber;
            id.Value = run.RunId;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long?> FindRunIdAsync(string master, string job, int runNumber, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_id FROM runs WHERE master = $master AND job = $job AND run_number = $number";
        command.Parameters.AddWithValue("$master", master);
        command.Parameters.AddWithValue("$job", job);
        command.Parameters.AddWithValue("$number", runNumber);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? id : null;
    }
}
