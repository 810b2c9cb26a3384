using System.Globalization;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Deployments;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>Deployments, deployment statuses and commit statuses through Octokit's raw connection (its typed client lacks fields GitHub takes).</summary>
internal sealed class OctokitDeployments(OctokitConnection _connection)
{
    public Task<long> CreateDeploymentAsync(string owner, string repository, DeploymentRequest request, CancellationToken cancellationToken) =>
        _connection.CallAsync(owner, repository, $"the creation of a deployment of {request.Ref} to {request.Environment} in {owner}/{repository}", async client =>
        {
            // See https://docs.github.com/rest/deployments/deployments#create-a-deployment
            var body = new JsonObject
            {
                ["ref"] = request.Ref,
                ["task"] = request.Task,
                ["environment"] = request.Environment,
                ["auto_merge"] = false,
                ["required_contexts"] = new JsonArray([.. (request.RequiredContexts ?? []).Select(c => (JsonNode?)JsonValue.Create(c))]),
            };
            Set(body, "description", request.Description);
            var payload = request.Payload?.DeepClone();
            if (request.Intent is { } intent)
            {
                payload = payload as JsonObject ?? new JsonObject();
                payload[DeploymentRequest.IntentKey] = intent;
            }

            Set(body, "payload", payload);
            Set(body, "transient_environment", request.TransientEnvironment);
            Set(body, "production_environment", request.ProductionEnvironment);
            var uri = new Uri($"repos/{OctokitGitHubActionsClient.Escape(owner)}/{OctokitGitHubActionsClient.Escape(repository)}/deployments", UriKind.Relative);
            var response = await client.Connection.Post<Dictionary<string, object>>(
                uri, body.ToJsonString(), "application/vnd.github+json", "application/json", parameters: null, cancellationToken).ConfigureAwait(false);
            return response.Body is { } created && created.TryGetValue("id", out var id) && id is not null
                ? Convert.ToInt64(id, CultureInfo.InvariantCulture)
                : throw new GitHubException(GitHubFailureKind.Refused, $"GitHub did not create a deployment of {request.Ref} in {owner}/{repository} ({(int)response.HttpResponse.StatusCode})", gitHubStatus: 409);
        }, cancellationToken);

    public Task<long?> FindDeploymentAsync(string owner, string repository, string environment, string gitRef, string intent, CancellationToken cancellationToken) =>
        _connection.CallAsync(owner, repository, $"the deployments of {gitRef} to {environment} in {owner}/{repository}", async client =>
        {
            // See https://docs.github.com/rest/deployments/deployments#list-deployments (newest first); no cache: a lost answer is looked for.
            var uri = new Uri($"repos/{OctokitGitHubActionsClient.Escape(owner)}/{OctokitGitHubActionsClient.Escape(repository)}/deployments", UriKind.Relative);
            var response = await client.Connection.Get<List<Dictionary<string, object>>>(
                uri, new Dictionary<string, string> { ["environment"] = environment, ["ref"] = gitRef, ["per_page"] = "100" }, "application/vnd.github+json", cancellationToken)
                .ConfigureAwait(false);
            foreach (var deployment in response.Body ?? [])
            {
                if (deployment.TryGetValue("payload", out var payload) && payload is IDictionary<string, object> fields &&
                    fields.TryGetValue(DeploymentRequest.IntentKey, out var found) && found as string == intent &&
                    deployment.TryGetValue("id", out var id) && id is not null)
                {
                    return (long?)Convert.ToInt64(id, CultureInfo.InvariantCulture);
                }
            }

            return null;
        }, cancellationToken);

    public Task CreateDeploymentStatusAsync(string owner, string repository, long deploymentId, DeploymentStatusRequest status, CancellationToken cancellationToken) =>
        _connection.CallAsync(owner, repository, $"the '{status.State}' status of deployment {deploymentId} in {owner}/{repository}", async client =>
        {
            // See https://docs.github.com/rest/deployments/statuses#create-a-deployment-status
            var body = new JsonObject { ["state"] = status.State };
            Set(body, "description", status.Description);
            Set(body, "log_url", status.LogUrl);
            Set(body, "environment_url", status.EnvironmentUrl);
            Set(body, "environment", status.Environment);
            Set(body, "auto_inactive", status.AutoInactive);
            var uri = new Uri($"repos/{OctokitGitHubActionsClient.Escape(owner)}/{OctokitGitHubActionsClient.Escape(repository)}/deployments/{deploymentId.ToString(CultureInfo.InvariantCulture)}/statuses", UriKind.Relative);
            await client.Connection.Post<Dictionary<string, object>>(
                uri, body.ToJsonString(), "application/vnd.github+json", "application/json", parameters: null, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<DeploymentStatusRequest?> GetLatestDeploymentStatusAsync(string owner, string repository, long deploymentId, CancellationToken cancellationToken) =>
        _connection.CallAsync(owner, repository, $"the statuses of deployment {deploymentId} in {owner}/{repository}", async client =>
        {
            // See https://docs.github.com/rest/deployments/statuses#list-deployment-statuses (newest first).
            var uri = new Uri($"repos/{OctokitGitHubActionsClient.Escape(owner)}/{OctokitGitHubActionsClient.Escape(repository)}/deployments/{deploymentId.ToString(CultureInfo.InvariantCulture)}/statuses", UriKind.Relative);
            var response = await client.Connection.Get<List<Dictionary<string, object?>>>(
                uri, new Dictionary<string, string> { ["per_page"] = "1" }, "application/vnd.github+json", cancellationToken).ConfigureAwait(false);
            if (response.Body is not [var newest, ..])
            {
                return (DeploymentStatusRequest?)null;
            }

            string? Text(string name) => newest.TryGetValue(name, out var value) && value is not null ? value.ToString() : null;
            return new DeploymentStatusRequest(Text("state") ?? "", Text("description"), Text("log_url"), Text("environment_url"), Text("environment"), null);
        }, cancellationToken);

    public Task CreateCommitStatusAsync(string owner, string repository, string sha, CommitStatusRequest status, CancellationToken cancellationToken) =>
        _connection.CallAsync(owner, repository, $"the '{status.State}' commit status on {sha} in {owner}/{repository}", async client =>
        {
            // See https://docs.github.com/rest/commits/statuses#create-a-commit-status
            var body = new JsonObject { ["state"] = status.State };
            Set(body, "context", status.Context);
            Set(body, "description", status.Description);
            Set(body, "target_url", status.TargetUrl);
            var uri = new Uri($"repos/{OctokitGitHubActionsClient.Escape(owner)}/{OctokitGitHubActionsClient.Escape(repository)}/statuses/{OctokitGitHubActionsClient.Escape(sha)}", UriKind.Relative);
            await client.Connection.Post<Dictionary<string, object>>(
                uri, body.ToJsonString(), "application/vnd.github+json", "application/json", parameters: null, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private static void Set(JsonObject body, string name, JsonNode? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    private static void Set(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    private static void Set(JsonObject body, string name, bool? value)
    {
        if (value is { } flag)
        {
            body[name] = flag;
        }
    }
}
