namespace Igor.GitHubActions.GitHub;

internal sealed partial class GitHubActionsBuildService
{
    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Warning, "Master {Master}: the cancel of queue item {QueueId} ({Job}) was refused by GitHub for good and is not asked again: {Reason}")]
        public static partial void CancelGivenUp(ILogger logger, string master, string job, long queueId, string reason);

        [LoggerMessage(1, LogLevel.Warning, "Master {Master} skips repository {Repository} in its job list: {Reason}")]
        public static partial void RepositorySkipped(ILogger logger, string master, string repository, string reason);






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

    }
}
