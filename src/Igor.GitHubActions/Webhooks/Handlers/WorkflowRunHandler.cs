using System.Text.Json;
using Igor.GitHubActions.Echo;
using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.GitHub.Runs;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.State;

namespace Igor.GitHubActions.Webhooks.Handlers;

/// <summary>
/// <c>workflow_run</c>: the run's state answers status polls from then on (GitHub is not asked), its number is indexed for
/// each master whose allowlist names the repository, and a finished run becomes an Igor build event (Jenkins-type
/// triggers fire on it), keyed by run attempt so a redelivery emits nothing twice.
/// </summary>
internal sealed partial class WorkflowRunHandler(
    IStateStore store, EchoOutbox outbox, GitHubMasters gitHub, TimeProvider time, ILogger<WorkflowRunHandler> logger) : IWebhookHandler
{
    public string Event => "workflow_run";

    public Task HandleAsync(string deliveryId, JsonElement root, CancellationToken cancellationToken) =>
        WorkflowRunCompletedAsync(deliveryId, root, cancellationToken);

    private async Task WorkflowRunCompletedAsync(string deliveryId, JsonElement root, CancellationToken cancellationToken)
    {
        if (!WorkflowRunPayload.TryRead(root, out var owner, out var repository, out var file, out var run))
        {
            Log.NotAWorkflowFileRun(logger, deliveryId);
            return;
        }

        var job = new JobName(owner, repository, file);
        var masters = gitHub.Allowing(owner, repository).ToArray();
        if (masters.Length == 0)
        {
            Log.RepositoryNotAllowed(logger, deliveryId, job.FullRepository);
            return;
        }

        // Status polls are answered from this state while webhooks flow, so GitHub is not asked.
        await store.Snapshots.SaveRunSnapshotAsync(RunSnapshots.From(run, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        foreach (var master in masters)
        {
            await store.Runs.RecordRunsAsync([new RunRecord(master.Name, job.ToString(), run.RunNumber, run.Id)], cancellationToken).ConfigureAwait(false);
            if (run.Status != "completed")
            {
                continue;
            }

            var build = WorkflowRunMapper.ToGenericBuild(job.ToString(), run, time.GetUtcNow());
            if (build.Building)
            {
                Log.StillBuilding(logger, deliveryId, job.ToString(), run.RunNumber, run.Conclusion);
                continue;
            }

            var emitted = await outbox.EmitBuildAsync(master.Name, job.ToString(), build, GitHub.Apps.CompletedRuns.EventKey(run), run.Conclusion == "skipped", cancellationToken).ConfigureAwait(false);
            Log.BuildEvent(logger, deliveryId, master.Name, job.ToString(), run.RunNumber, build.Result?.ToString() ?? "", emitted);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3, LogLevel.Information, "Delivery {DeliveryId}: not a run of a .github/workflows file")]
        public static partial void NotAWorkflowFileRun(ILogger logger, string deliveryId);

        [LoggerMessage(4, LogLevel.Information, "Delivery {DeliveryId}: {Repository} is in no master's allowlist")]
        public static partial void RepositoryNotAllowed(ILogger logger, string deliveryId, string repository);

        [LoggerMessage(5, LogLevel.Information, "Delivery {DeliveryId}: {Job} #{RunNumber} completed as '{Conclusion}' but still waits (no event)")]
        public static partial void StillBuilding(ILogger logger, string deliveryId, string job, int runNumber, string? conclusion);

        [LoggerMessage(6, LogLevel.Information, "Delivery {DeliveryId}: build event {Master} {Job} #{RunNumber} {Result} (new: {Emitted})")]
        public static partial void BuildEvent(ILogger logger, string deliveryId, string master, string job, int runNumber, string result, bool emitted);
    }
}
