namespace Igor.GitHubActions.Logs;

/// <summary>A run with its jobs, as the log page, the raw log endpoint and Deck's CI output need it.</summary>
internal sealed record RunLogView(
    string Master, string Owner, string Repository, string Job, long RunId, int RunNumber, int RunAttempt, string Status, string? Conclusion,
    bool Building, string HtmlUrl, IReadOnlyList<JobLogView> Jobs);
