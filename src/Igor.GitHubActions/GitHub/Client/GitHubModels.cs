namespace Igor.GitHubActions.GitHub.Client;

/// <summary>A repository the master may use, with what links and dispatches need.</summary>
internal sealed record RepositoryInfo(string Owner, string Name, string DefaultBranch, string HtmlUrl)
{
    public string FullName => $"{Owner}/{Name}";
}

/// <summary>A workflow file of a repository as GitHub lists it.</summary>
internal sealed record WorkflowInfo(long Id, string Name, string Path, string State, string HtmlUrl)
{
    public const string WorkflowDirectory = ".github/workflows/";

    /// <summary>The file name, or null for workflows that are not files in .github/workflows (dynamic ones).</summary>
    public string? FileName =>
        Path.StartsWith(WorkflowDirectory, StringComparison.Ordinal) && Path.IndexOf('/', WorkflowDirectory.Length) < 0
            ? Path[WorkflowDirectory.Length..]
            : null;

    public bool IsActive => State == "active";
}
