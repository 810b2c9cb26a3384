using System.Text.Json;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.GitHub.Jobs;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Igor.Queue;

namespace Igor.GitHubActions.GitHub.Dispatch;

/// <summary>What a dispatch will send, decided before anything leaves: the workflow, the team rule, the trigger, the inputs.</summary>
internal sealed partial class DispatchPreparation(MasterOptions master, IGitHubActionsClient github, WorkflowCatalog catalog, ILogger logger)
{
    /// <summary>Everything checked before anything is sent: the workflow, the team rule, the trigger, the inputs.</summary>
    public async Task<DispatchRequest> PrepareAsync(
        JobName job, QueueItem item, IReadOnlyDictionary<string, string> parameters, bool? runDetailsSupported, CancellationToken cancellationToken)
    {
        var (repository, workflow) = await catalog.FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
        if (!workflow.IsActive)
        {
            throw IgorException.Unprocessable($"{job} cannot run: the workflow is {workflow.State.Replace('_', ' ')} on GitHub");
        }

        await CheckTeamWriteAccessAsync(job, cancellationToken).ConfigureAwait(false);
        var definition = await catalog.DefinitionAsync(job, repository.DefaultBranch, workflow, cancellationToken).ConfigureAwait(false);
        return definition switch
        {
            { HasWorkflowDispatch: true } => WorkflowDispatchRequest(job, item, definition, repository, parameters, runDetailsSupported),
            { HasRepositoryDispatch: true } => RepositoryDispatchRequest(job, item, definition, repository, parameters),
            _ => throw IgorException.Unprocessable(
                $"{job} cannot be started from Spinnaker: the workflow has neither a workflow_dispatch nor a repository_dispatch trigger (add 'on: workflow_dispatch')"),
        };
    }

    private static DispatchRequest WorkflowDispatchRequest(
        JobName job, QueueItem item, WorkflowDefinition definition, RepositoryInfo repository, IReadOnlyDictionary<string, string> parameters, bool? runDetailsSupported)
    {
        var gitRef = parameters.GetValueOrDefault(JobParameters.Ref) is { Length: > 0 } r ? r : repository.DefaultBranch;
        var inputs = parameters.Where(p => !JobParameters.IsServiceParameter(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var correlatable = definition.Inputs.Any(i => i.Name == JobParameters.DispatchIdInput) && CorrelationFor(definition.RunName, workflowDispatch: true);
        if (correlatable)
        {
            inputs[JobParameters.DispatchIdInput] = item.DispatchId;
        }

        if (inputs.Count > DispatchLimits.MaxInputs)
        {
            throw IgorException.BadRequest(
                $"GitHub takes at most {DispatchLimits.MaxInputs} workflow inputs, {JobParameters.DispatchIdInput} included; {inputs.Count} would be sent");
        }

        if (runDetailsSupported == false && !correlatable)
        {
            throw IgorException.Unprocessable(NotCorrelatable(job, workflowDispatch: true));
        }

        return new DispatchRequest
        {
            Event = DispatchRequest.WorkflowDispatch,
            Ref = gitRef,
            Inputs = inputs,
            Correlatable = correlatable,
            ReturnRunDetails = runDetailsSupported != false,
        };
    }

    private static DispatchRequest RepositoryDispatchRequest(
        JobName job, QueueItem item, WorkflowDefinition definition, RepositoryInfo repository, IReadOnlyDictionary<string, string> parameters)
    {
        if (!CorrelationFor(definition.RunName, workflowDispatch: false))
        {
            throw IgorException.Unprocessable(NotCorrelatable(job, workflowDispatch: false));
        }

        var types = definition.RepositoryDispatchTypes;
        var eventType = parameters.GetValueOrDefault(JobParameters.EventType) is { Length: > 0 } given
            ? given
            : types.Count switch
            {
                0 => "spinnaker",
                1 => types[0],
                _ => throw IgorException.BadRequest($"{job} listens to several repository_dispatch types ({string.Join(", ", types)}): choose one with the parameter {JobParameters.EventType}"),
            };
        if (types.Count > 0 && !types.Contains(eventType, StringComparer.Ordinal))
        {
            throw IgorException.BadRequest($"{job} does not listen to the repository_dispatch type '{eventType}' (it listens to {string.Join(", ", types)})");
        }

        if (eventType.Length > 100)
        {
            throw IgorException.BadRequest("the repository_dispatch event type is longer than 100 characters");
        }

        var payload = parameters.Where(p => !JobParameters.IsServiceParameter(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        payload[JobParameters.DispatchIdInput] = item.DispatchId;
        if (payload.Count > DispatchLimits.MaxClientPayloadKeys)
        {
            throw IgorException.BadRequest(
                $"a repository_dispatch client_payload takes at most {DispatchLimits.MaxClientPayloadKeys} keys including {JobParameters.DispatchIdInput}; {payload.Count} were given");
        }

        if (JsonSerializer.SerializeToUtf8Bytes(payload).Length >= DispatchLimits.MaxClientPayloadBytes)
        {
            throw IgorException.BadRequest("the repository_dispatch client_payload must be smaller than 64 KB");
        }

        return new DispatchRequest
        {
            Event = DispatchRequest.RepositoryDispatch,
            Ref = repository.DefaultBranch,
            Inputs = payload,
            EventType = eventType,
            Correlatable = true,
        };
    }

    /// <summary>RequireTeamWriteAccess: the master starts a workflow only where every listed team may write.</summary>
    private async Task CheckTeamWriteAccessAsync(JobName job, CancellationToken cancellationToken)
    {
        foreach (var team in master.RequireTeamWriteAccess)
        {
            var slash = team.IndexOf('/', StringComparison.Ordinal);
            if (!await github.TeamCanWriteAsync(team[..slash], team[(slash + 1)..], job.Owner, job.Repository, cancellationToken).ConfigureAwait(false))
            {
                Log.TeamAccessDenied(logger, master.Name, job.ToString(), team);
                throw IgorException.Forbidden(
                    $"access denied: master '{master.Name}' starts workflows only where the GitHub team {team} has write access, and it has none on {job.FullRepository}");
            }
        }
    }

    private static bool CorrelationFor(string? runName, bool workflowDispatch)
    {
        if (runName is null)
        {
            return false;
        }

        return workflowDispatch
            ? runName.Contains("inputs." + JobParameters.DispatchIdInput, StringComparison.Ordinal)
            : runName.Contains("client_payload." + JobParameters.DispatchIdInput, StringComparison.Ordinal);
    }

    internal static string NotCorrelatable(JobName job, bool workflowDispatch) => workflowDispatch
        ? $"To let Spinnaker find the run it starts, add to {WorkflowInfo.WorkflowDirectory}{job.WorkflowFile} the input " +
          $"'on: workflow_dispatch: inputs: {JobParameters.DispatchIdInput}: {{ required: false }}' and the top-level line " +
          $"'run-name: ${{{{ inputs.{JobParameters.DispatchIdInput} || github.workflow }}}}'"
        : $"{job} is started by repository_dispatch, which returns no run id: add the top-level line " +
          $"'run-name: ${{{{ github.event.client_payload.{JobParameters.DispatchIdInput} || github.workflow }}}}' to {WorkflowInfo.WorkflowDirectory}{job.WorkflowFile}";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Master {Master}: {Job} not started: the team {Team} has no write access to its repository")]
        public static partial void TeamAccessDenied(ILogger logger, string master, string job, string team);
    }
}
