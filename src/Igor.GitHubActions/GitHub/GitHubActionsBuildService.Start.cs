using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.GitHub;

/// <summary>Starting a build: one dispatch per Orca request identity, correlated to its own run.</summary>
internal sealed partial class GitHubActionsBuildService
{
    private const int MaxInputs = 25;
    private const int MaxInputCharacters = 65_535;
    private const int MaxClientPayloadKeys = 10;
    private const int MaxClientPayloadBytes = 64 * 1024;
    private static readonly TimeSpan DispatchLease = TimeSpan.FromMinutes(2);

    /// <summary>Whether this master's GitHub returns run ids on dispatch; null until the first dispatch says.</summary>
    private bool? _runDetailsSupported;

    public async Task<long> StartBuildAsync(JobName job, BuildRequest request, CancellationToken cancellationToken)
    {
        CheckLimits(request.Parameters);
        var now = _time.GetUtcNow();
        var candidate = new QueueItem
        {
            IdempotencyKey = IdempotencyKey(job, request),
            Master = Name,
            Job = job.ToString(),
            State = QueueItemState.Dispatching,
            DispatchId = "spn-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)),
            CreatedAt = now,
            LeaseUntil = now + DispatchLease,
        };

        var (item, created) = await _store.GetOrCreateQueueItemAsync(candidate, cancellationToken).ConfigureAwait(false);
        if (!created)
        {
            item = await AwaitEarlierRequestAsync(item, cancellationToken).ConfigureAwait(false);
            if (item.State != QueueItemState.Dispatching)
            {
                return item.State == QueueItemState.Failed
                    ? throw new IgorException(item.ErrorStatus ?? StatusCodes.Status422UnprocessableEntity, item.Error ?? "the dispatch failed")
                    : item.Id;
            }

            // The replica that dispatched it died or timed out: find out whether its run exists before sending again.
            item = item with { LeaseUntil = now + DispatchLease };
            await _store.UpdateQueueItemAsync(item, cancellationToken).ConfigureAwait(false);
            if (await FindDispatchedRunAsync(job, item, cancellationToken).ConfigureAwait(false) is { } found)
            {
                await ResolveAsync(item, found, cancellationToken).ConfigureAwait(false);
                return item.Id;
            }
        }

        await DispatchAsync(job, item, request.Parameters, cancellationToken).ConfigureAwait(false);
        return item.Id;
    }

    private async Task DispatchAsync(JobName job, QueueItem item, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        try
        {
            var (repository, workflow) = await FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
            if (!workflow.IsActive)
            {
                throw IgorException.Unprocessable($"{job} cannot run: the workflow is {workflow.State.Replace('_', ' ')} on GitHub");
            }

            await CheckTeamWriteAccessAsync(job, cancellationToken).ConfigureAwait(false);
            var definition = await DefinitionAsync(job, repository.DefaultBranch, workflow, cancellationToken).ConfigureAwait(false);
            var dispatched = definition switch
            {
                { HasWorkflowDispatch: true } => await DispatchWorkflowAsync(job, item, definition, repository, parameters, cancellationToken).ConfigureAwait(false),
                { HasRepositoryDispatch: true } => await DispatchRepositoryAsync(job, item, definition, parameters, cancellationToken).ConfigureAwait(false),
                _ => throw IgorException.Unprocessable(
                    $"{job} cannot be started from Spinnaker: the workflow has neither a workflow_dispatch nor a repository_dispatch trigger (add 'on: workflow_dispatch')"),
            };
            await _store.UpdateQueueItemAsync(dispatched, cancellationToken).ConfigureAwait(false);
            Log.Dispatched(_logger, Name, job.ToString(), item.Id, dispatched.RunId);
        }
        catch (IgorException e) when (e.StatusCode is >= 400 and < 500)
        {
            // GitHub (or the service) refused: the stage must fail at once, and a retried PUT gets the same answer.
            var status = e.StatusCode == StatusCodes.Status404NotFound && item.State == QueueItemState.Dispatching
                ? StatusCodes.Status422UnprocessableEntity
                : e.StatusCode;
            await _store.UpdateQueueItemAsync(
                item with { State = QueueItemState.Failed, ErrorStatus = status, Error = e.Message, LeaseUntil = null },
                CancellationToken.None).ConfigureAwait(false);
            Log.DispatchRefused(_logger, Name, job.ToString(), item.Id, e.Message);
            throw new IgorException(status, e.Message, e);
        }
        catch (Exception)
        {
            // Outcome unknown (GitHub 5xx, timeout): release the lease so Orca's retry checks for the run first.
            await _store.UpdateQueueItemAsync(item with { LeaseUntil = _time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<QueueItem> DispatchWorkflowAsync(
        JobName job, QueueItem item, WorkflowDefinition definition, RepositoryInfo repository,
        IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var gitRef = parameters.GetValueOrDefault(JobParameters.Ref) is { Length: > 0 } r ? r : repository.DefaultBranch;
        var inputs = parameters.Where(p => !JobParameters.IsServiceParameter(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var correlatable = definition.Inputs.Any(i => i.Name == JobParameters.DispatchIdInput) && CorrelationFor(definition.RunName, workflowDispatch: true);
        if (correlatable)
        {
            inputs[JobParameters.DispatchIdInput] = item.DispatchId;
        }

        if (inputs.Count > MaxInputs)
        {
            throw IgorException.BadRequest($"GitHub takes at most {MaxInputs} workflow inputs, {JobParameters.DispatchIdInput} included; {inputs.Count} would be sent");
        }

        if (_runDetailsSupported == false && !correlatable)
        {
            throw IgorException.Unprocessable(NotCorrelatable(job, workflowDispatch: true));
        }

        var outcome = await _github.DispatchWorkflowAsync(
            job.Owner, job.Repository, job.WorkflowFile, gitRef, inputs, _runDetailsSupported != false, cancellationToken).ConfigureAwait(false);
        if (outcome.RunDetailsRefused)
        {
            _runDetailsSupported = false;
            Log.RunDetailsUnsupported(_logger, Name);
            if (!correlatable)
            {
                throw IgorException.Unprocessable(NotCorrelatable(job, workflowDispatch: true));
            }

            outcome = await _github.DispatchWorkflowAsync(
                job.Owner, job.Repository, job.WorkflowFile, gitRef, inputs, returnRunDetails: false, cancellationToken).ConfigureAwait(false);
        }
        else if (outcome.RunId is not null)
        {
            _runDetailsSupported = true;
        }

        if (outcome.RunId is null && !correlatable)
        {
            _runDetailsSupported = false;
            throw IgorException.Unprocessable(
                $"GitHub started {job} but did not say which run (this server does not return run details), so Spinnaker cannot follow it. " +
                NotCorrelatable(job, workflowDispatch: true));
        }

        return item with
        {
            State = QueueItemState.Dispatched,
            RunId = outcome.RunId,
            DispatchedAt = _time.GetUtcNow(),
            LeaseUntil = null,
        };
    }

    private async Task<QueueItem> DispatchRepositoryAsync(
        JobName job, QueueItem item, WorkflowDefinition definition, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
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
            throw IgorException.BadRequest($"the repository_dispatch event type is longer than 100 characters");
        }

        var payload = parameters.Where(p => !JobParameters.IsServiceParameter(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        payload[JobParameters.DispatchIdInput] = item.DispatchId;
        if (payload.Count > MaxClientPayloadKeys)
        {
            throw IgorException.BadRequest(
                $"a repository_dispatch client_payload takes at most {MaxClientPayloadKeys} keys including {JobParameters.DispatchIdInput}; {payload.Count} were given");
        }

        if (JsonSerializer.SerializeToUtf8Bytes(payload).Length >= MaxClientPayloadBytes)
        {
            throw IgorException.BadRequest("the repository_dispatch client_payload must be smaller than 64 KB");
        }

        await _github.DispatchRepositoryAsync(job.Owner, job.Repository, eventType, payload, cancellationToken).ConfigureAwait(false);
        return item with { State = QueueItemState.Dispatched, DispatchedAt = _time.GetUtcNow(), LeaseUntil = null };
    }

    /// <summary>Waits while another request (here or on another replica) is still dispatching the same item.</summary>
    private async Task<QueueItem> AwaitEarlierRequestAsync(QueueItem item, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (item.State == QueueItemState.Dispatching && item.LeaseUntil is { } lease && lease > _time.GetUtcNow() && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
            item = await _store.GetQueueItemAsync(item.Id, cancellationToken).ConfigureAwait(false) ?? item;
        }

        return item;
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

    private static string NotCorrelatable(JobName job, bool workflowDispatch) => workflowDispatch
        ? $"To let Spinnaker find the run it starts, add to {WorkflowInfo.WorkflowDirectory}{job.WorkflowFile} the input " +
          $"'on: workflow_dispatch: inputs: {JobParameters.DispatchIdInput}: {{ required: false }}' and the top-level line " +
          $"'run-name: ${{{{ inputs.{JobParameters.DispatchIdInput} || github.workflow }}}}'"
        : $"{job} is started by repository_dispatch, which returns no run id: add the top-level line " +
          $"'run-name: ${{{{ github.event.client_payload.{JobParameters.DispatchIdInput} || github.workflow }}}}' to {WorkflowInfo.WorkflowDirectory}{job.WorkflowFile}";

    /// <summary>GitHub's limits and input name rules, checked before any GitHub call; values are only ever sent as JSON data.</summary>
    private static void CheckLimits(IReadOnlyDictionary<string, string> parameters)
    {
        var inputs = parameters.Keys.Count(k => !JobParameters.IsServiceParameter(k));
        if (inputs > MaxInputs)
        {
            throw IgorException.BadRequest($"GitHub takes at most {MaxInputs} workflow inputs; {inputs} parameters were given");
        }

        if (parameters.Keys.FirstOrDefault(k => !InputNamePattern().IsMatch(k)) is { } badName)
        {
            throw IgorException.BadRequest(
                $"'{(badName.Length > 100 ? badName[..100] + "..." : badName)}' is not a workflow input name (a letter or '_', then letters, digits, '_' or '-', at most 100)");
        }

        var size = parameters.Sum(p => p.Key.Length + p.Value.Length + 6);
        if (size > MaxInputCharacters)
        {
            throw IgorException.BadRequest($"the parameters add up to {size} characters; GitHub takes at most {MaxInputCharacters} for a workflow's inputs");
        }
    }

    /// <summary>Igor's key: master, job, execution, start time and parameters (hashed to bound its length).</summary>
    private string IdempotencyKey(JobName job, BuildRequest request)
    {
        var text = new StringBuilder()
            .Append(Name).Append('\n').Append(job).Append('\n')
            .Append(request.ExecutionId ?? "NO_EXECUTION_ID").Append('\n')
            .Append(request.StartTime).Append('\n');
        foreach (var (key, value) in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}\z")]
    private static partial System.Text.RegularExpressions.Regex InputNamePattern();

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
