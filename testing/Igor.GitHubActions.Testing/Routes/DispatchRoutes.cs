using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.State;
using Igor.GitHubActions.Testing.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary><c>workflow_dispatch</c> and <c>repository_dispatch</c>.</summary>
internal static class DispatchRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapPost("/repos/{owner}/{repo}/actions/workflows/{workflowId}/dispatches", (HttpContext context, string owner, string repo, string workflowId) =>
            WorkflowDispatch(core, context, owner, repo, workflowId));
        routes.MapPost("/repos/{owner}/{repo}/dispatches", (HttpContext context, string owner, string repo) =>
            RepositoryDispatch(core, context, owner, repo));
    }

    private static IResult WorkflowDispatch(SimulatorCore core, HttpContext context, string owner, string repo, string workflowId)
    {
        var access = Access.Repo(core, context, owner, repo, "actions", write: true);
        if (access.Error is { } error)
        {
            return error;
        }

        if (RequestBody.ReadObject(context, out error) is not { } body)
        {
            return error!;
        }

        var repository = access.Repository!;
        if (repository.FindWorkflow(workflowId) is not { } workflow)
        {
            return ApiErrors.NotFound("https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event");
        }

        var version2026 = context.Request.Headers["X-GitHub-Api-Version"] == "2026-03-10";
        var mode = core.Options.RunDetails;
        if (body.ContainsKey("return_run_details") && !version2026 && mode is DispatchRunDetailsSupport.RejectedWith400 or DispatchRunDetailsSupport.RejectedWith422)
        {
            return ApiErrors.InvalidRequest("\"return_run_details\" is not a permitted key.", mode == DispatchRunDetailsSupport.RejectedWith400 ? 400 : 422);
        }

        if (!body.ContainsKey("ref"))
        {
            return ApiErrors.InvalidRequest("\"ref\" wasn't supplied.");
        }

        if (RequestBody.String(body, "ref") is not { } reference)
        {
            return ApiErrors.InvalidRequest($"For 'properties/ref', {body["ref"]?.ToJsonString() ?? "nil"} is not a string.");
        }

        var inputsNode = body["inputs"];
        if (inputsNode is not null and not JsonObject)
        {
            return ApiErrors.InvalidRequest($"For 'properties/inputs', {inputsNode.ToJsonString()} is not an object.");
        }

        var inputs = inputsNode as JsonObject;
        if (DispatchValidator.CheckShape(inputs, core.Options) is { } shapeError)
        {
            return shapeError;
        }

        var sent = (inputs ?? []).ToDictionary(
            p => p.Key,
            p => p.Value?.GetValueKind() == JsonValueKind.String ? p.Value.GetValue<string>() : p.Value?.ToJsonString() ?? "",
            StringComparer.Ordinal);

        SimulatedRun run;
        lock (core.Sync)
        {
            if (workflow.State != "active")
            {
                return ApiErrors.Unprocessable("Cannot trigger a 'workflow_dispatch' on a disabled workflow");
            }

            // Only workflows whose file on the default branch has the trigger can be dispatched; the run then uses the file at the ref.
            var onDefault = workflow.DefinitionAt(repository.DefaultRef);
            if (onDefault is null)
            {
                return ApiErrors.NotFound("https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event");
            }

            if (!onDefault.HasWorkflowDispatch)
            {
                return ApiErrors.Unprocessable("Workflow does not have 'workflow_dispatch' trigger");
            }

            var resolved = repository.Refs.Resolve(reference, allowSha: false);
            if (resolved is null)
            {
                return ApiErrors.Unprocessable($"No ref found for: {reference}");
            }

            var definition = workflow.DefinitionAt(resolved);
            if (definition?.ParseError is { } parseError)
            {
                return ApiErrors.Unprocessable($"failed to parse workflow: {parseError}");
            }

            if (definition is null || !definition.HasWorkflowDispatch)
            {
                return ApiErrors.Unprocessable("Workflow does not have 'workflow_dispatch' trigger");
            }

            if (DispatchValidator.CheckAgainst(definition, sent, core.Options.MaxWorkflowInputs, out var effective) is { } inputError)
            {
                return inputError;
            }

            var actor = access.Caller!.Actor;
            var eventInputs = new JsonObject();
            foreach (var (name, value) in effective)
            {
                eventInputs[name] = ExpressionEvaluator.ToText(ExpressionEvaluator.FromJson(value));
            }

            var eventPayload = new JsonObject
            {
                ["inputs"] = eventInputs,
                ["ref"] = resolved.State.FullRef,
                ["workflow"] = workflow.Path,
                ["sender"] = new JsonObject { ["login"] = actor.Login },
            };
            var contexts = RunContexts.For(workflow, resolved, actor, "workflow_dispatch", eventPayload, effective);
            var title = RunContexts.DisplayTitle(definition, contexts, workflow.Name);
            run = workflow.CreateRunCore("workflow_dispatch", resolved, actor, title, $"Simulated commit {resolved.Sha[..7]}", sent, null);
        }

        core.RaiseRunCreated(run);
        var returnDetails = RequestBody.Bool(body, "return_run_details") == true;
        if (mode == DispatchRunDetailsSupport.Supported && (version2026 || returnDetails))
        {
            var urls = Urls.From(context);
            var id = run.Id.ToString(CultureInfo.InvariantCulture);
            return new JsonApiResult(
                new JsonObject
                {
                    ["workflow_run_id"] = run.Id,
                    ["run_url"] = $"{urls.Repo(repository)}/actions/runs/{id}",
                    ["html_url"] = $"{urls.RepoHtml(repository)}/actions/runs/{id}",
                },
                StatusCodes.Status200OK);
        }

        return JsonApiResult.Empty(StatusCodes.Status204NoContent);
    }

    private static IResult RepositoryDispatch(SimulatorCore core, HttpContext context, string owner, string repo)
    {
        var access = Access.Repo(core, context, owner, repo, "contents", write: true);
        if (access.Error is { } error)
        {
            return error;
        }

        if (RequestBody.ReadObject(context, out error) is not { } body)
        {
            return error!;
        }

        if (!body.ContainsKey("event_type"))
        {
            return ApiErrors.InvalidRequest("\"event_type\" wasn't supplied.");
        }

        if (RequestBody.String(body, "event_type") is not { } eventType)
        {
            return ApiErrors.InvalidRequest($"For 'properties/event_type', {body["event_type"]?.ToJsonString() ?? "nil"} is not a string.");
        }

        if (eventType.Length is < 1 or > 100)
        {
            return ApiErrors.InvalidRequest(eventType.Length == 0
                ? "For 'properties/event_type', \"\" is too short (minimum is 1 characters)."
                : $"For 'properties/event_type', \"{eventType}\" is too long (maximum is 100 characters).");
        }

        var payloadNode = body["client_payload"];
        if (payloadNode is not null and not JsonObject)
        {
            return ApiErrors.InvalidRequest($"For 'properties/client_payload', {payloadNode.ToJsonString()} is not an object.");
        }

        var payload = payloadNode as JsonObject ?? [];
        if (payload.Count > 10)
        {
            return ApiErrors.Unprocessable($"No more than 10 properties are allowed; {payload.Count} were supplied.");
        }

        var payloadJson = payload.ToJsonString(JsonApiResult.SerializerOptions);
        if (Encoding.UTF8.GetByteCount(payloadJson) >= 64 * 1024)
        {
            return ApiErrors.Unprocessable("client_payload is too large");
        }

        var repository = access.Repository!;
        var runs = new List<SimulatedRun>();
        lock (core.Sync)
        {
            var resolved = repository.DefaultRef;
            var actor = access.Caller!.Actor;
            foreach (var workflow in repository.WorkflowList.Where(w => w.State == "active").ToList())
            {
                var definition = workflow.DefinitionAt(resolved);
                if (definition is null || !definition.Accepts(eventType))
                {
                    continue;
                }

                var eventPayload = new JsonObject
                {
                    ["action"] = eventType,
                    ["branch"] = resolved.Name,
                    ["client_payload"] = payload.DeepClone(),
                    ["sender"] = new JsonObject { ["login"] = actor.Login },
                };
                var contexts = RunContexts.For(workflow, resolved, actor, "repository_dispatch", eventPayload, []);
                var title = RunContexts.DisplayTitle(definition, contexts, workflow.Name);
                runs.Add(workflow.CreateRunCore("repository_dispatch", resolved, actor, title, $"Simulated commit {resolved.Sha[..7]}", new Dictionary<string, string>(), payloadJson));
            }
        }

        foreach (var run in runs)
        {
            core.RaiseRunCreated(run);
        }

        return JsonApiResult.Empty(StatusCodes.Status204NoContent);
    }
}
