using System.Globalization;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.GitHub.Runs;
using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.GitHub.Ci;

/// <summary>
/// Deck's CI "Builds" tab (contract §5): runs of a repository as GenericBuilds with every field Deck reads
/// without null checks (properties.*, scm[0].*, artifacts, id as a string).
/// </summary>
internal sealed class CiBuilds(IGitHubActionsClient github, Jobs.WorkflowCatalog catalog, Runs.RunReader runs, Outputs.RunArtifacts artifacts)
{
    /// <summary>Builds of one of the master's repositories, newest first; null when the repository is not the master's.</summary>
    public async Task<IReadOnlyList<GenericBuild>?> GetAsync(CiBuildQuery query, CancellationToken cancellationToken)
    {
        if (!await catalog.IsAllowedAsync(query.ProjectKey, query.RepoSlug, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var repository = await catalog.RepositoryAsync(query.ProjectKey, query.RepoSlug, cancellationToken).ConfigureAwait(false);
        var listed = await github.ListRepositoryRunsAsync(
            query.ProjectKey, query.RepoSlug, new RunQuery(PerPage: query.BuildNumber is null ? 25 : 100, HeadSha: query.CommitId), cancellationToken).ConfigureAwait(false);
        var selected = listed
            .Where(r => !query.IncompleteOnly || WorkflowRunMapper.Result(r.Status, r.Conclusion, out _) is null)
            .Where(r => query.BuildNumber is null || r.RunNumber == query.BuildNumber)
            .ToArray();
        return await Task.WhenAll(selected.Select(r => ToCiBuildAsync(repository, r, cancellationToken))).ConfigureAwait(false);
    }

    private async Task<GenericBuild> ToCiBuildAsync(RepositoryInfo repository, WorkflowRunInfo run, CancellationToken cancellationToken)
    {
        var job = JobName.Parse(Runs.RunReader.JobOf(repository.Owner, repository.Name, run));
        var build = runs.ToBuild(job, run);
        var started = (run.RunStartedAt ?? run.CreatedAt).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var scm = build.Scm[0];
        return build with
        {
            Result = build.Building ? BuildResult.Building : build.Result,
            Artifacts = build.Building ? [] : await artifacts.TryGenericAsync(job, run, cancellationToken).ConfigureAwait(false),
            Scm =
            [
                scm with
                {
                    Committer = scm.Committer ?? "",
                    Message = scm.Message ?? run.DisplayTitle ?? "",
                    CompareUrl = $"{repository.HtmlUrl}/commit/{run.HeadSha}",
                    RemoteUrl = repository.HtmlUrl,
                },
            ],
            Properties = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["startedTs"] = started,
                ["completedTs"] = build.Building ? "" : run.UpdatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                ["projectKey"] = repository.Owner,
                ["repoSlug"] = repository.Name,
                ["pullRequestNumber"] = run.PullRequestNumber?.ToString(CultureInfo.InvariantCulture) ?? "",
                ["pullRequestUrl"] = run.PullRequestNumber is { } pr ? string.Create(CultureInfo.InvariantCulture, $"{repository.HtmlUrl}/pull/{pr}") : "",
                ["event"] = run.Event,
            },
        };
    }
}
