using System.Globalization;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.GitHub;

/// <summary>
/// Deck's CI "Builds" tab (contract §5): runs of a repository as GenericBuilds with every field Deck reads
/// without null checks (properties.*, scm[0].*, artifacts, id as a string).
/// </summary>
internal sealed partial class GitHubActionsBuildService
{
    public async Task<IReadOnlyList<GenericBuild>?> GetCiBuildsAsync(CiBuildQuery query, CancellationToken cancellationToken)
    {
        if (!await IsRepositoryAllowedAsync(query.ProjectKey, query.RepoSlug, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var repository = await _catalog.RepositoryAsync(query.ProjectKey, query.RepoSlug, cancellationToken).ConfigureAwait(false);
        var runs = await _github.ListRepositoryRunsAsync(
            query.ProjectKey, query.RepoSlug, new RunQuery(PerPage: query.BuildNumber is null ? 25 : 100, HeadSha: query.CommitId), cancellationToken).ConfigureAwait(false);
        var selected = runs
            .Where(r => !query.IncompleteOnly || WorkflowRunMapper.Result(r.Status, r.Conclusion, out _) is null)
            .Where(r => query.BuildNumber is null || r.RunNumber == query.BuildNumber)
            .ToArray();
        return await Task.WhenAll(selected.Select(r => ToCiBuildAsync(repository, r, cancellationToken))).ConfigureAwait(false);
    }

    private async Task<GenericBuild> ToCiBuildAsync(RepositoryInfo repository, WorkflowRunInfo run, CancellationToken cancellationToken)
    {
        var job = JobName.Parse(JobOf(repository.Owner, repository.Name, run));
        var build = ToBuild(job, run);
        var started = (run.RunStartedAt ?? run.CreatedAt).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var scm = build.Scm[0];
        return build with
        {
            Result = build.Building ? BuildResult.Building : build.Result,
            Artifacts = build.Building ? [] : await TryGenericArtifactsAsync(job, run, cancellationToken).ConfigureAwait(false),
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

    /// <summary>The artifacts decorate a build; a failure to list them leaves the list empty rather than failing the poll.</summary>
    private async Task<IReadOnlyList<GenericArtifact>> TryGenericArtifactsAsync(JobName job, WorkflowRunInfo run, CancellationToken cancellationToken)
    {
        try
        {
            return await GenericArtifactsAsync(job, run, cancellationToken).ConfigureAwait(false);
        }
        catch (IgorException e)
        {
            Log.ArtifactsUnlisted(_logger, Name, job.ToString(), run.Id, e.Message);
            return [];
        }
    }
}
