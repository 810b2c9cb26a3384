using System.Text.RegularExpressions;
using Igor.GitHubActions.Deployments;
using Igor.GitHubActions.Igor.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Igor.GitHubActions.Stages;

/// <summary>"Create GitHub deployment", "Set GitHub deployment status" and "Set GitHub commit status": one call each, no polling.</summary>
internal static partial class GitHubStatusStageEndpoints
{
    private const int MaxDescription = 140;
    private static readonly string[] CommitStates = ["error", "failure", "pending", "success"];

    public static RouteGroupBuilder MapGitHubStatusStageEndpoints(this RouteGroupBuilder stages)
    {
        stages.MapPost("/deployments", CreateDeploymentAsync).WithName("StageCreateDeployment");
        stages.MapPost("/deployment-statuses", SetDeploymentStatusAsync).WithName("StageSetDeploymentStatus");
        stages.MapPost("/commit-statuses", SetCommitStatusAsync).WithName("StageSetCommitStatus");
        return stages;
    }

    internal static async Task<IResult> CreateDeploymentAsync(
        HttpContext context, GitHub.GitHubMasters registry, State.IStageRuns store, CancellationToken cancellationToken)
    {
        var input = await StageInput.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var (owner, repository) = input.Repository();
        var request = new DeploymentRequest(
            input.Required("ref", "a branch, tag or SHA"),
            input.Required("environment", "an environment name, e.g. production"),
            input.Optional("task") ?? "deploy",
            input.Text("description", MaxDescription),
            input.Object("payload"),
            input.List("requiredContexts"),
            input.Flag("transientEnvironment"),
            input.Flag("productionEnvironment"));
        var service = await StageMasters.ResolveAsync(context, input, registry, owner, repository, cancellationToken).ConfigureAwait(false);

        // Orca retries a create call after a timeout: within one execution, the same repository, environment and ref get
        // the deployment already created. The intent (derived from those) goes into the deployment's payload before the
        // POST, so a call whose answer was lost finds the deployment on GitHub; the POST and its record finish even if
        // Orca hangs up; creations on one replica take turns, so two retries at once cannot both create.
        var executionId = input.Optional("executionId");
        var target = $"deployment:{owner}/{repository}";
        var key = $"{request.Environment}@{request.Ref}";
        if (executionId is null)
        {
            return Created(await service.Deployments.CreateDeploymentAsync(owner, repository, request, cancellationToken).ConfigureAwait(false), owner, repository, request, StatusCodes.Status201Created);
        }

        request = request with { Intent = Intent(service.Name, target, executionId, key) };
        var creation = Task.Run(async () =>
        {
            // The turn is held until the record is written, whatever happens to the request that asked.
            await CreationTurn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (await store.FindStageRunAsync(service.Name, target, executionId, key, CancellationToken.None).ConfigureAwait(false) is { } earlier)
                {
                    return (Id: earlier.QueueId, Status: StatusCodes.Status200OK);
                }

                var id = await service.Deployments.CreateDeploymentAsync(owner, repository, request, CancellationToken.None).ConfigureAwait(false);
                await store.RecordStageRunAsync(new State.StageRun(service.Name, target, executionId, key, id), CancellationToken.None).ConfigureAwait(false);
                return (Id: id, Status: StatusCodes.Status201Created);
            }
            finally
            {
                CreationTurn.Release();
            }
        }, CancellationToken.None);
        var (deploymentId, status) = await creation.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Created(deploymentId, owner, repository, request, status);
    }

    /// <summary>One deployment creation at a time on this replica: creations are rare, and a retry must see the first's record.</summary>
    private static readonly SemaphoreSlim CreationTurn = new(1, 1);

    private static string Intent(string master, string target, string executionId, string key) =>
        "spn-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{master}\n{target}\n{executionId}\n{key}")))[..24];

    private static JsonHttpResult<DeploymentStageAnswer> Created(long id, string owner, string repository, DeploymentRequest request, int statusCode) =>
        TypedResults.Json(
            new DeploymentStageAnswer(
                "SUCCESS", id, $"{owner}/{repository}", request.Environment, request.Ref,
                $"deployment {id} of {request.Ref} to {request.Environment} created in {owner}/{repository}"),
            ServiceJsonContext.Default.DeploymentStageAnswer, statusCode: statusCode);

    internal static async Task<IResult> SetDeploymentStatusAsync(HttpContext context, GitHub.GitHubMasters registry, CancellationToken cancellationToken)
    {
        var input = await StageInput.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var (owner, repository) = input.Repository();
        var deploymentId = input.Id("deploymentId");
        var status = new DeploymentStatusRequest(
            input.OneOf("state", DeploymentStateMapping.GitHubStates),
            input.Text("description", MaxDescription),
            input.Url("logUrl"),
            input.Url("environmentUrl"),
            input.Optional("environment"),
            input.Flag("autoInactive"));
        var service = await StageMasters.ResolveAsync(context, input, registry, owner, repository, cancellationToken).ConfigureAwait(false);
        await service.Deployments.CreateDeploymentStatusAsync(owner, repository, deploymentId, status, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(
            new DeploymentStatusStageAnswer("SUCCESS", deploymentId, status.State, $"deployment {deploymentId} of {owner}/{repository} is now {status.State}"),
            ServiceJsonContext.Default.DeploymentStatusStageAnswer, statusCode: StatusCodes.Status201Created);
    }

    internal static async Task<IResult> SetCommitStatusAsync(HttpContext context, GitHub.GitHubMasters registry, CancellationToken cancellationToken)
    {
        var input = await StageInput.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var (owner, repository) = input.Repository();
        var sha = input.Required("sha", "a commit SHA");
        if (!ShaPattern().IsMatch(sha))
        {
            throw IgorException.BadRequest($"sha: '{sha}' is not a full commit SHA (40 or 64 hexadecimal characters)");
        }

        var status = new CommitStatusRequest(
            input.OneOf("state", CommitStates),
            input.Text("context", 255) ?? "spinnaker",
            input.Text("description", MaxDescription),
            input.Url("targetUrl"));
        var service = await StageMasters.ResolveAsync(context, input, registry, owner, repository, cancellationToken).ConfigureAwait(false);
        await service.Deployments.CreateCommitStatusAsync(owner, repository, sha, status, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(
            new CommitStatusStageAnswer("SUCCESS", sha, status.State, status.Context ?? "spinnaker", $"{status.Context} is {status.State} on {sha[..7]} of {owner}/{repository}"),
            ServiceJsonContext.Default.CommitStatusStageAnswer, statusCode: StatusCodes.Status201Created);
    }

    [GeneratedRegex("^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$")]
    private static partial Regex ShaPattern();
}
