namespace Igor.GitHubActions.Igor;

/// <summary>Deck's CI view query as Gate forwards it (Gate drops start and limit).</summary>
internal sealed record CiBuildQuery(string ProjectKey, string RepoSlug, bool IncompleteOnly, int? BuildNumber, string? CommitId);
