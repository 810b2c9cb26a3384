namespace Igor.GitHubActions.GitHub;

/// <summary>The GitHub calls one master makes, authenticated as its App installation (or token), cancellable.</summary>
internal interface IGitHubActionsClient
{
    /// <summary>Every repository the master's allowlist admits, with <c>owner/*</c> expanded through the App's installation.</summary>
    Task<IReadOnlyList<string>> ListRepositoriesAsync(CancellationToken cancellationToken);

    /// <summary>The repository, or an <see cref="Igor.IgorException"/> 404 when GitHub does not know it.</summary>
    Task<RepositoryInfo> GetRepositoryAsync(string owner, string repository, CancellationToken cancellationToken);

    /// <summary>The workflows of a repository (conditional request: a 304 costs no rate limit).</summary>
    Task<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(string owner, string repository, CancellationToken cancellationToken);

    /// <summary>A file's text at a ref, or null when the file or ref does not exist.</summary>
    Task<string?> GetFileAsync(string owner, string repository, string path, string gitRef, CancellationToken cancellationToken);

    /// <summary>Checks that GitHub answers and accepts the master's credentials; the reason when it does not.</summary>
    Task<string?> ProbeAsync(CancellationToken cancellationToken);
}
