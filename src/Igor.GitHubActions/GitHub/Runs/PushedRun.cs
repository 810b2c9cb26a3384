using Igor.GitHubActions.GitHub.Client;
namespace Igor.GitHubActions.GitHub.Runs;

/// <summary>A run as its latest webhook delivery described it, and when that delivery arrived.</summary>
internal sealed record PushedRun(WorkflowRunInfo Run, DateTimeOffset ReceivedAt);
