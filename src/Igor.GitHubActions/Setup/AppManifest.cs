using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Setup;

/// <summary>
/// The GitHub App manifest: exactly the permissions and events the service's features use (README, "The GitHub App"),
/// the webhook pointed at <c>/webhooks/github</c> and GitHub's redirect at <c>/setup/callback</c>. GitHub generates
/// the webhook secret, the private key and the client secret, and answers them once in the code conversion.
/// </summary>
internal static class AppManifest
{
    public static JsonObject For(SetupRequest request) => new()
    {
        ["name"] = "Spinnaker " + request.MasterName,
        ["url"] = request.PublicUrl.ToString(),
        ["description"] = "Spinnaker's CI master for GitHub Actions: starts workflows for Jenkins stages, triggers pipelines from finished runs and deployments, writes deployment statuses.",
        ["hook_attributes"] = new JsonObject { ["url"] = new Uri(request.PublicUrl, "webhooks/github").ToString(), ["active"] = true },
        ["redirect_url"] = new Uri(request.PublicUrl, "setup/callback").ToString(),
        ["public"] = false,
        ["default_permissions"] = new JsonObject
        {
            ["actions"] = "write",                                     // dispatch, cancel, logs, artifacts
            ["contents"] = request.RepositoryDispatch ? "write" : "read", // workflow files; repository_dispatch needs write
            ["deployments"] = "write",                                 // the deployment stages and statuses
            ["statuses"] = "write",                                    // the commit-status stage
            ["metadata"] = "read",
        },
        ["default_events"] = new JsonArray("workflow_run", "deployment"),
    };
}
