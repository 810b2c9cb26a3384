namespace Igor.GitHubActions.GitHub;

internal sealed partial class GitHubActionsBuildService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Master {Master} skips repository {Repository} in its job list: {Reason}")]
        public static partial void RepositorySkipped(ILogger logger, string master, string repository, string reason);

        [LoggerMessage(2, LogLevel.Warning, "Master {Master}: workflow {Job} at {Ref} cannot be read: {Reason}")]
        public static partial void WorkflowUnreadable(ILogger logger, string master, string job, string @ref, string reason);

        [LoggerMessage(3, LogLevel.Information, "Master {Master} dispatched {Job} as queue item {QueueId} (run {RunId})")]
        public static partial void Dispatched(ILogger logger, string master, string job, long queueId, long? runId);

        [LoggerMessage(4, LogLevel.Warning, "Master {Master} could not start {Job} (queue item {QueueId}): {Reason}")]
        public static partial void DispatchRefused(ILogger logger, string master, string job, long queueId, string reason);

        [LoggerMessage(5, LogLevel.Warning, "Master {Master}: GitHub does not return run ids on dispatch (GHES before 3.21); dispatches are correlated by run-name")]
        public static partial void RunDetailsUnsupported(ILogger logger, string master);

        [LoggerMessage(6, LogLevel.Information, "Master {Master}: queue item {QueueId} of {Job} is run {RunId}, build {RunNumber}")]
        public static partial void Resolved(ILogger logger, string master, string job, long queueId, long runId, int runNumber);

        [LoggerMessage(7, LogLevel.Information, "Master {Master}: cancel of queue item {QueueId} of {Job} waits for its run to appear")]
        public static partial void CancelPending(ILogger logger, string master, string job, long queueId);

        [LoggerMessage(8, LogLevel.Information, "Master {Master}: cancel of run {RunId} of {Job} sent (accepted: {Accepted})")]
        public static partial void CancelSent(ILogger logger, string master, string job, long runId, bool accepted);

        [LoggerMessage(9, LogLevel.Warning, "Master {Master}: run {RunId} of {Job} ignored the cancel; force-cancel sent (accepted: {Accepted})")]
        public static partial void ForceCancelSent(ILogger logger, string master, string job, long runId, bool accepted);

        [LoggerMessage(10, LogLevel.Warning, "Master {Master}: force-cancel check of run {RunId} of {Job} failed: {Reason}")]
        public static partial void ForceCancelFailed(ILogger logger, string master, string job, long runId, string reason);

        [LoggerMessage(11, LogLevel.Warning, "Master {Master}: queue item {QueueId} of {Job} not advanced: {Reason}")]
        public static partial void QueueItemNotAdvanced(ILogger logger, string master, string job, long queueId, string reason);

        [LoggerMessage(12, LogLevel.Warning, "Master {Master}: run {RunId} of {Job} has the unknown conclusion '{Conclusion}', reported as FAILURE")]
        public static partial void UnknownConclusion(ILogger logger, string master, string job, long runId, string? conclusion);

        [LoggerMessage(13, LogLevel.Warning, "Master {Master}: {Job} not started: the team {Team} has no write access to its repository")]
        public static partial void TeamAccessDenied(ILogger logger, string master, string job, string team);
    }
}
