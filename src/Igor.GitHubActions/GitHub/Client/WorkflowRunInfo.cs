namespace Igor.GitHubActions.GitHub.Client;

/// <summary>The fields of a GitHub workflow run the service reads; status and conclusion stay open strings.</summary>
internal sealed record WorkflowRunInfo
{
    public required long Id { get; init; }

    public required int RunNumber { get; init; }

    public int RunAttempt { get; init; } = 1;

    public required string Status { get; init; }

    public string? Conclusion { get; init; }

    public required string Event { get; init; }

    public string? HeadBranch { get; init; }

    public required string HeadSha { get; init; }

    public string? DisplayTitle { get; init; }

    /// <summary>The login of the account that started the run (for a dispatch: whoever sent it).</summary>
    public string? Actor { get; init; }

    public required string HtmlUrl { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? RunStartedAt { get; init; }

    public string? CommitMessage { get; init; }

    public string? CommitAuthor { get; init; }

    public string? Path { get; init; }

    /// <summary>The first pull request the run belongs to, when any.</summary>
    public int? PullRequestNumber { get; init; }
}
