using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Json;
using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing.Webhooks;

/// <summary>Webhook payloads shaped like GitHub's (<c>workflow_run</c>, <c>deployment</c>, <c>deployment_status</c>). Call under the simulator lock.</summary>
internal static class WebhookPayloads
{
    public static JsonObject WorkflowRun(SimulatorCore core, SimulatedRun run, string action)
    {
        var urls = core.DefaultUrls;
        var payload = new JsonObject
        {
            ["action"] = action,
            ["workflow_run"] = RunJson.Run(urls, run),
            ["workflow"] = RunJson.Workflow(urls, run.Workflow),
        };
        return Common(core, payload, run.Repository, run.TriggeringActor);
    }

    public static JsonObject Deployment(SimulatorCore core, SimulatedDeployment deployment)
    {
        var payload = new JsonObject
        {
            ["action"] = "created",
            ["deployment"] = DeploymentJson.Deployment(core.DefaultUrls, deployment),
            ["workflow"] = deployment.Run is { } run ? RunJson.Workflow(core.DefaultUrls, run.Workflow) : null,
            ["workflow_run"] = deployment.Run is { } r ? RunJson.Run(core.DefaultUrls, r) : null,
        };
        if (core.Options.OmitPerformedViaGitHubApp)
        {
            payload["deployment"]!.AsObject().Remove("performed_via_github_app");
        }

        return Common(core, payload, deployment.Repository, deployment.Creator);
    }

    public static JsonObject DeploymentStatus(SimulatorCore core, SimulatedDeployment deployment, SimulatedDeploymentStatus status)
    {
        var payload = new JsonObject
        {
            ["action"] = "created",
            ["deployment_status"] = DeploymentJson.Status(core.DefaultUrls, deployment, status),
            ["deployment"] = DeploymentJson.Deployment(core.DefaultUrls, deployment),
            ["check_run"] = null,
            ["workflow"] = null,
            ["workflow_run"] = null,
        };
        return Common(core, payload, deployment.Repository, status.Creator);
    }

    private static JsonObject Common(SimulatorCore core, JsonObject payload, SimulatedRepository repository, Account sender)
    {
        var urls = core.DefaultUrls;
        var pushedAt = repository.Refs.Branches.Max(b => b.UpdatedAt);
        payload["repository"] = RepositoryJson.Full(urls, repository, pushedAt, withPermissions: false);
        if (repository.OwnerAccount.Type == "Organization")
        {
            payload["organization"] = AccountJson.Organization(urls, repository.OwnerAccount);
        }

        payload["sender"] = AccountJson.User(urls, sender);
        if (core.InstallationFor(repository) is { } installation)
        {
            payload["installation"] = new JsonObject
            {
                ["id"] = installation.Id,
                ["node_id"] = JsonFormat.NodeId("Integration::Installation", installation.Id),
            };
        }

        return payload;
    }
}
