namespace Igor.GitHubActions.Deployments;

/// <summary>A commit status to write (GitHub states: error, failure, pending, success).</summary>
internal sealed record CommitStatusRequest(string State, string? Context, string? Description, string? TargetUrl);
