using System.Text.Json;
using StackExchange.Redis;

namespace Igor.GitHubActions.State.Redis;

/// <summary>Deployment ↔ execution links on Redis (the first link of an execution is kept).</summary>
internal sealed class RedisDeploymentLinks(RedisDatabase db) : IDeploymentLinks
{
    public async Task LinkDeploymentAsync(DeploymentLink link, CancellationToken cancellationToken) =>
        await db.Db.StringSetAsync(db.Key($"deplink:{link.ExecutionId}"), JsonSerializer.Serialize(link), db.DeploymentRetention, When.NotExists).ConfigureAwait(false);

    public async Task<DeploymentLink?> GetDeploymentLinkAsync(string executionId, CancellationToken cancellationToken)
    {
        var json = await db.Db.StringGetAsync(db.Key($"deplink:{executionId}")).ConfigureAwait(false);
        return json.IsNull ? null : JsonSerializer.Deserialize<DeploymentLink>((string)json!);
    }
}
