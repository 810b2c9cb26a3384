namespace Igor.GitHubActions.GitHub.Client;

/// <summary>A page of a workflow's runs, newest first, optionally filtered.</summary>
internal sealed record RunQuery(string? Event = null, DateTimeOffset? CreatedAfter = null, int Page = 1, int PerPage = 30, string? HeadSha = null, string? Branch = null, string? Actor = null);
