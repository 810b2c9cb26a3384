using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Testing.Json;

/// <summary>The <c>deployment</c>, <c>deployment-status</c> and commit <c>status</c> shapes. Call under the simulator lock.</summary>
internal static class DeploymentJson
{
    public static JsonObject Deployment(Urls urls, SimulatedDeployment deployment)
    {
        var api = DeploymentUrl(urls, deployment);
        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(deployment.PayloadJson);
        }
        catch (JsonException)
        {
            payload = deployment.PayloadJson;
        }

        return new JsonObject
        {
            ["url"] = api,
            ["id"] = deployment.Id,
            ["node_id"] = JsonFormat.NodeId("Deployment", deployment.Id),
            ["sha"] = deployment.Sha,
            ["ref"] = deployment.Ref,
            ["task"] = deployment.Task,
            ["payload"] = payload,
            ["original_environment"] = deployment.OriginalEnvironment,
            ["environment"] = deployment.Environment,
            ["description"] = deployment.Description,
            ["creator"] = AccountJson.User(urls, deployment.Creator),
            ["created_at"] = JsonFormat.Date(deployment.CreatedAt),
            ["updated_at"] = JsonFormat.Date(deployment.UpdatedAt),
            ["statuses_url"] = $"{api}/statuses",
            ["repository_url"] = urls.Repo(deployment.Repository),
            ["transient_environment"] = deployment.TransientEnvironment,
            ["production_environment"] = deployment.ProductionEnvironment,
            ["performed_via_github_app"] = deployment.PerformedViaApp is { } app ? AppJson.App(urls, app) : null,
        };
    }

    public static JsonObject Status(Urls urls, SimulatedDeployment deployment, SimulatedDeploymentStatus status)
    {
        var api = DeploymentUrl(urls, deployment);
        return new JsonObject
        {
            ["url"] = $"{api}/statuses/{status.Id.ToString(CultureInfo.InvariantCulture)}",
            ["id"] = status.Id,
            ["node_id"] = JsonFormat.NodeId("DeploymentStatus", status.Id),
            ["state"] = status.State,
            ["creator"] = AccountJson.User(urls, status.Creator),
            ["description"] = status.Description,
            ["environment"] = status.Environment,
            ["target_url"] = status.TargetUrl,
            ["created_at"] = JsonFormat.Date(status.CreatedAt),
            ["updated_at"] = JsonFormat.Date(status.CreatedAt),
            ["deployment_url"] = api,
            ["repository_url"] = urls.Repo(deployment.Repository),
            ["environment_url"] = status.EnvironmentUrl,
            ["log_url"] = status.LogUrl,
            ["performed_via_github_app"] = status.PerformedViaApp is { } app ? AppJson.App(urls, app) : null,
        };
    }

    public static JsonObject CommitStatus(Urls urls, SimulatedRepository repository, SimulatedCommitStatus status) => new()
    {
        ["url"] = $"{urls.Repo(repository)}/statuses/{status.Sha}",
        ["avatar_url"] = $"{urls.Web}avatars/u/{status.Creator.Id.ToString(CultureInfo.InvariantCulture)}?v=4",
        ["id"] = status.Id,
        ["node_id"] = JsonFormat.NodeId("StatusContext", status.Id),
        ["state"] = status.State,
        ["description"] = status.Description,
        ["target_url"] = status.TargetUrl,
        ["context"] = status.Context,
        ["created_at"] = JsonFormat.Date(status.CreatedAt),
        ["updated_at"] = JsonFormat.Date(status.CreatedAt),
        ["creator"] = AccountJson.User(urls, status.Creator),
    };

    private static string DeploymentUrl(Urls urls, SimulatedDeployment deployment) =>
        $"{urls.Repo(deployment.Repository)}/deployments/{deployment.Id.ToString(CultureInfo.InvariantCulture)}";
}
