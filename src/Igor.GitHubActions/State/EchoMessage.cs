namespace Igor.GitHubActions.State;

/// <summary>
/// What the Echo outbox carries: a body for Echo, posted to <see cref="Path"/> (<c>/</c> for build events,
/// <c>/webhooks/webhook/{source}</c> for a webhook trigger). Its key is one build event per run attempt; its group a job.
/// </summary>
internal sealed record EchoMessage(string Path, string Body);
