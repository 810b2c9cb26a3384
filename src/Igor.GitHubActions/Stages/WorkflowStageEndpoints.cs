using System.Globalization;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Igor.GitHubActions.Stages;

/// <summary>
/// "Run GitHub workflow": Orca's webhook stage starts a workflow, polls <c>statusUrl</c> (<c>$.status</c>, <c>$.message</c>)
/// until SUCCESS, FAILURE, ABORTED or UNSTABLE, and cancels through the cancel endpoint. Everything goes through
/// <see cref="IBuildService"/>, the path of the Jenkins stage: the same idempotent dispatch, correlation and status.
/// </summary>
internal static class WorkflowStageEndpoints
{
    private const string RefParameter = "github.ref";

    public static RouteGroupBuilder MapWorkflowStageEndpoints(this RouteGroupBuilder stages)
    {
        stages.MapPost("/workflow-runs", StartAsync).WithName("StageRunWorkflow");
        stages.MapGet("/workflow-runs/{master}/{queueId}", StatusAsync).WithName("StageWorkflowStatus");
        stages.MapPost("/workflow-runs/cancel", CancelByExecutionAsync).WithName("StageCancelWorkflow");
        stages.MapPost("/workflow-runs/{master}/{queueId}/cancel", CancelAsync).WithName("StageCancelWorkflowRun");
        return stages;
    }

    internal static async Task<IResult> StartAsync(HttpContext context, GitHub.GitHubMasters registry, IStageRuns store, CancellationToken cancellationToken)
    {
        var input = await StageInput.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var job = Job(input);
        var service = await StageMasters.ResolveAsync(context, input, registry, job.Owner, job.Repository, cancellationToken).ConfigureAwait(false);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in input.Object("inputs") ?? [])
        {
            parameters[name] = value switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
                JsonValue v => v.ToJsonString(),
                _ => throw IgorException.BadRequest($"inputs: '{name}' must be a string, number or boolean (GitHub workflow inputs are scalars)"),
            };
        }

        if (input.Optional("ref") is { } gitRef)
        {
            parameters[RefParameter] = gitRef;
        }

        // Orca retries the create call on 5xx and timeouts: the execution, the stage and the stage attempt's start time make
        // the retry find the same dispatch, while a restarted stage (a new start time) starts a new run.
        var executionId = input.Optional("executionId");
        var stageKey = input.Optional("stageKey") ?? "";
        var attempt = input.Optional("stageStartTime") ?? "";
        var request = new BuildRequest(parameters, executionId, executionId is null ? Guid.NewGuid().ToString("N") : $"stage:{stageKey}@{attempt}");
        var queueId = await service.Build.StartBuildAsync(job, request, cancellationToken).ConfigureAwait(false);
        if (executionId is not null)
        {
            await store.RecordStageRunAsync(new StageRun(service.Name, job.ToString(), executionId, stageKey, queueId), cancellationToken).ConfigureAwait(false);
        }

        return Answer(new WorkflowStageAnswer("QUEUED", $"{job} dispatched on {service.Name}; waiting for GitHub to start the run", service.Name, job.ToString(), queueId)
        {
            StatusUrl = StatusUrl(context.Request, service.Name, queueId, job),
            CancelUrl = StatusUrl(context.Request, service.Name, queueId, job, cancel: true),
        });
    }

    internal static async Task<IResult> StatusAsync(string master, string queueId, string? job, BuildServiceRegistry registry, CancellationToken cancellationToken)
    {
        var service = registry.Get(master);
        var id = QueueId(queueId);
        var jobName = JobName.TryParse(job, out var parsed, out var error) ? parsed : throw IgorException.BadRequest($"job: {error}");
        WorkflowStageAnswer Status(string status, string message) => new(status, message, master, jobName.ToString(), id);
        int? number;
        try
        {
            number = (await service.GetQueuedBuildAsync(id, cancellationToken).ConfigureAwait(false)).Number;
        }
        catch (IgorException e) when (e.StatusCode == StatusCodes.Status410Gone)
        {
            // The dispatch failed or its run never appeared: a terminal status Orca shows with the reason.
            return Answer(Status("FAILURE", e.Message));
        }

        if (number is null)
        {
            return Answer(Status("QUEUED", $"waiting for GitHub to start the run of {jobName}"));
        }

        var build = await service.GetBuildAsync(jobName, number.Value, cancellationToken).ConfigureAwait(false);
        var status = build.Building || build.Result is null ? "RUNNING" : ResultName(build.Result.Value);
        return Answer(Status(status, $"{jobName} #{build.Number.ToString(CultureInfo.InvariantCulture)} {status}: {build.Url}") with
        {
            RunNumber = build.Number,
            RunId = long.TryParse(build.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var runId) ? runId : null,
            Url = build.Url,
            Properties = build.Properties is { Count: > 0 } properties ? System.Text.Json.JsonSerializer.SerializeToNode(properties)!.AsObject() : null,
        });
    }

    internal static async Task<IResult> CancelByExecutionAsync(HttpContext context, GitHub.GitHubMasters registry, IStageRuns store, CancellationToken cancellationToken)
    {
        var input = await StageInput.ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var job = Job(input);
        var executionId = input.Required("executionId", "the execution id (${execution.id})");
        var service = await StageMasters.ResolveAsync(context, input, registry, job.Owner, job.Repository, cancellationToken).ConfigureAwait(false);
        var run = await store.FindStageRunAsync(service.Name, job.ToString(), executionId, input.Optional("stageKey") ?? "", cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return Answer(new StageCancelAnswer(false, $"execution {executionId} started no run of {job} on {service.Name}"));
        }

        return await StopAsync(service.Build, job, run.QueueId, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<IResult> CancelAsync(
        HttpContext context, string master, string queueId, string? job, BuildServiceRegistry registry, CancellationToken cancellationToken)
    {
        await Security.FiatAuthorizationHandler.RequireStageWriteAsync(context, master, bodyUser: null).ConfigureAwait(false);
        var jobName = JobName.TryParse(job, out var parsed, out var error) ? parsed : throw IgorException.BadRequest($"job: {error}");
        return await StopAsync(registry.Get(master), jobName, QueueId(queueId), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> StopAsync(IBuildService service, JobName job, long queueId, CancellationToken cancellationToken)
    {
        int? number;
        try
        {
            number = (await service.GetQueuedBuildAsync(queueId, cancellationToken).ConfigureAwait(false)).Number;
        }
        catch (IgorException e) when (e.StatusCode == StatusCodes.Status410Gone)
        {
            return Answer(new StageCancelAnswer(false, e.Message));
        }

        await service.StopBuildAsync(job, queueId, number ?? 0, cancellationToken).ConfigureAwait(false);
        return Answer(new StageCancelAnswer(true, $"cancel of {job} (queue item {queueId.ToString(CultureInfo.InvariantCulture)}) requested"));
    }

    private static JsonHttpResult<WorkflowStageAnswer> Answer(WorkflowStageAnswer answer) => TypedResults.Json(answer, ServiceJsonContext.Default.WorkflowStageAnswer);

    private static JsonHttpResult<StageCancelAnswer> Answer(StageCancelAnswer answer) => TypedResults.Json(answer, ServiceJsonContext.Default.StageCancelAnswer);

    private static JobName Job(StageInput input) =>
        JobName.TryParse(input.Required("job", "owner/repo/workflow.yml"), out var job, out var error) ? job : throw IgorException.BadRequest($"job: {error}");

    private static long QueueId(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw IgorException.BadRequest($"queueId: '{value}' is not a queue id");

    private static string ResultName(BuildResult result) => result switch
    {
        BuildResult.Success => "SUCCESS",
        BuildResult.Unstable => "UNSTABLE",
        BuildResult.Aborted => "ABORTED",
        BuildResult.Failure => "FAILURE",
        BuildResult.NotBuilt => "FAILURE",
        BuildResult.Building => "RUNNING",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "unknown build result"),
    };

    private static string StatusUrl(HttpRequest request, string master, long queueId, JobName job, bool cancel = false) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/stages/workflow-runs/{Uri.EscapeDataString(master)}/{queueId.ToString(CultureInfo.InvariantCulture)}" +
        $"{(cancel ? "/cancel" : "")}?job={Uri.EscapeDataString(job.ToString())}";
}
