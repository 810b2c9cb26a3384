namespace Igor.GitHubActions.State.Sqlite;

/// <summary>Deployment ↔ execution links on SQLite.</summary>
internal sealed class SqliteDeploymentLinks(SqliteDatabase db) : IDeploymentLinks
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS deployment_links (
            execution_id TEXT PRIMARY KEY,
            repository TEXT NOT NULL,
            deployment_id INTEGER NOT NULL,
            application TEXT NOT NULL,
            pipeline TEXT NOT NULL,
            linked_at INTEGER NOT NULL);
        """;

    public async Task LinkDeploymentAsync(DeploymentLink link, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
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
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT execution_id, repository, deployment_id, application, pipeline, linked_at, environment FROM deployment_links WHERE execution_id = $id";
        command.Parameters.AddWithValue("$id", executionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new DeploymentLink(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), SqliteDatabase.FromMilliseconds(reader.GetInt64(5))!.Value,
                reader.IsDBNull(6) ? null : reader.GetString(6))
            : null;
    }
}
