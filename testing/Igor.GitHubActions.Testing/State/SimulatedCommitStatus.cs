namespace Igor.GitHubActions.Testing;

/// <summary>A commit status (<c>POST /repos/{o}/{r}/statuses/{sha}</c>).</summary>
public sealed record SimulatedCommitStatus(
    long Id,
    string Sha,
    string State,
    string Context,
    string? Description,
    string? TargetUrl,
    Account Creator,
    DateTimeOffset CreatedAt);
