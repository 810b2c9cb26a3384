using System.Text.Json.Nodes;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Echo;
using Igor.GitHubActions.State;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Deployments;

/// <summary>
/// Follows executions started for GitHub deployments: links them to their deployment and files the statuses their
/// events call for, in order: the start status once per execution, each final outcome once per event (a restarted
/// pipeline's later outcome is written again), a final event filing the start status first if it was missed.
/// </summary>
internal sealed partial class DeploymentStatusTracker(
    IStateStore store,
    [FromKeyedServices(DeploymentStatusSender.SignalKey)] WorkSignal signal,
    IOptions<DeploymentStatusOptions> options,
    IOptions<SpinnakerOptions> spinnaker,
    GitHub.GitHubMasters github,
    TimeProvider time,
    ILogger<DeploymentStatusTracker> logger)
{
    private const int MaxDescription = 140;

    /// <summary>Files what the event calls for; returns how many statuses were new, or null when no deployment started the execution.</summary>
    public async Task<int?> TrackAsync(PipelineOutcome outcome, PipelineExecution execution, CancellationToken cancellationToken)
    {
        var link = await store.DeploymentLinks.GetDeploymentLinkAsync(execution.Id, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            if (execution.Repository is not { } repository || execution.DeploymentId is not { } deploymentId)
            {
                return null;
            }

            if (!Allowed(repository))
            {
                Log.NotAllowed(logger, execution.Id, repository);
                return null;
            }

            link = new DeploymentLink(execution.Id, repository, deploymentId, execution.Application, execution.Name, time.GetUtcNow(), execution.Environment);
            await store.DeploymentLinks.LinkDeploymentAsync(link, cancellationToken).ConfigureAwait(false);
            link = await store.DeploymentLinks.GetDeploymentLinkAsync(execution.Id, cancellationToken).ConfigureAwait(false) ?? link;
            Log.Linked(logger, execution.Id, link.Repository, link.DeploymentId);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var filed = 0;
        if (outcome != PipelineOutcome.Starting)
        {
            filed += await FileAsync(link, execution, PipelineOutcome.Starting, execution.StartTime ?? 0, cancellationToken).ConfigureAwait(false);
        }

        var eventTime = outcome == PipelineOutcome.Starting ? execution.StartTime ?? now : execution.EndTime ?? now;
        filed += await FileAsync(link, execution, outcome, eventTime, cancellationToken).ConfigureAwait(false);
        if (filed > 0)
        {
            signal.Notify();
        }

        return filed;
    }

    /// <summary>The description GitHub shows: the pipeline and its outcome, at most 140 characters.</summary>
    public static string Describe(string pipeline, PipelineOutcome outcome)
    {
        var verb = outcome switch
        {
            PipelineOutcome.Starting => "is running",
            PipelineOutcome.Succeeded => "succeeded",
            PipelineOutcome.Failed => "failed",
            PipelineOutcome.Canceled => "was canceled",
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown pipeline outcome"),
        };
        var room = MaxDescription - "Spinnaker pipeline '' ".Length - verb.Length;
        var name = pipeline.Length <= room ? pipeline : string.Concat(pipeline.AsSpan(0, room - 1), "…");
        return $"Spinnaker pipeline '{name}' {verb}";
    }

    private async Task<int> FileAsync(DeploymentLink link, PipelineExecution execution, PipelineOutcome outcome, long eventTime, CancellationToken cancellationToken)
    {
        var state = options.Value.States.For(outcome);
        if (string.IsNullOrEmpty(state))
        {
            return 0;
        }

        var body = new JsonObject
        {
            ["state"] = state,
            ["description"] = Describe(link.Pipeline, outcome),
            ["auto_inactive"] = options.Value.AutoInactive,
        };
        if (LogUrl(link) is { } logUrl)
        {
            body["log_url"] = logUrl;
        }

        if (execution.EnvironmentUrl is { } environmentUrl)
        {
            if (Uri.TryCreate(environmentUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                body["environment_url"] = environmentUrl;
            }
            else
            {
                Log.BadEnvironmentUrl(logger, execution.Id, options.Value.EnvironmentUrlName);
            }
        }

        // A final status is keyed by its event time too: a restarted pipeline's later outcome is a new status, the same
        // event again is not (and an older one is refused as stale by the queue).
        var added = await store.DeploymentStatuses.EnqueueAsync(
            new NewLeasedItem<DeploymentStatusWrite>(
                outcome == PipelineOutcome.Starting ? $"{link.ExecutionId}:{state}" : $"{link.ExecutionId}:{state}:{eventTime}",
                link.ExecutionId,
                new DeploymentStatusWrite(link.Repository, link.DeploymentId, state, body.ToJsonString()),
                time.GetUtcNow())
            {
                Final = outcome != PipelineOutcome.Starting,
                Version = eventTime,
            },
            cancellationToken).ConfigureAwait(false);
        if (added)
        {
            Log.Filed(logger, state, link.Repository, link.DeploymentId, link.ExecutionId);
        }
        else
        {
            Log.AlreadyFiled(logger, state, link.ExecutionId);
        }

        return added ? 1 : 0;
    }

    private string? LogUrl(DeploymentLink link) =>
        spinnaker.Value.DeckUrl is { } deck && link.Application.Length > 0
            ? $"{deck.ToString().TrimEnd('/')}/#/applications/{Uri.EscapeDataString(link.Application)}/executions/details/{Uri.EscapeDataString(link.ExecutionId)}"
            : null;

    private bool Allowed(string repository) =>
        GitHub.RepositoryAllowlist.TrySplit(repository, out var owner, out var name) && github.Allowing(owner, name).Any();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Execution {ExecutionId} follows deployment {DeploymentId} of {Repository}")]
        public static partial void Linked(ILogger logger, string executionId, string repository, long deploymentId);

        [LoggerMessage(2, LogLevel.Information, "Deployment status {State} for deployment {DeploymentId} of {Repository} queued (execution {ExecutionId})")]
        public static partial void Filed(ILogger logger, string state, string repository, long deploymentId, string executionId);

        [LoggerMessage(3, LogLevel.Debug, "Deployment status {State} of execution {ExecutionId} was queued before, or the event is older than one already handled")]
        public static partial void AlreadyFiled(ILogger logger, string state, string executionId);

        [LoggerMessage(4, LogLevel.Warning, "Execution {ExecutionId} was triggered by a deployment of {Repository}, which no master's allowlist has; no statuses are written")]
        public static partial void NotAllowed(ILogger logger, string executionId, string repository);

        [LoggerMessage(5, LogLevel.Warning, "Execution {ExecutionId}: the value of {Name} is not an absolute http(s) URL; environment_url left out")]
        public static partial void BadEnvironmentUrl(ILogger logger, string executionId, string name);
    }
}
