using System.Collections.Concurrent;
using System.Globalization;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Logs;

namespace Igor.GitHubActions.GitHub;

/// <summary>Runs and jobs for the log page and Deck's CI output; logs are streamed, never stored.</summary>
internal sealed partial class GitHubActionsBuildService
{
    private const int MaxRepositoriesSearched = 50;

    /// <summary>Run id → owner/repo, learnt from listings, so Deck's output call (which names only the run id) finds its repository.</summary>
    private readonly ConcurrentDictionary<long, string> _runRepositories = new();

    public async Task<RunLogView?> GetRunLogAsync(string? owner, string? repository, long runId, CancellationToken cancellationToken)
    {
        if (owner is null || repository is null)
        {
            return await FindRunLogAsync(runId, cancellationToken).ConfigureAwait(false);
        }

        if (!await IsRepositoryAllowedAsync(owner, repository, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        WorkflowRunInfo run;
        try
        {
            run = await _runs.GetAsync(
                runId.ToString(CultureInfo.InvariantCulture), ct => _github.GetRunAsync(owner, repository, runId, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (IgorException e) when (e.StatusCode == StatusCodes.Status404NotFound)
        {
            return null;
        }

        RememberRepository(runId, owner, repository);
        var jobs = await _github.ListJobsAsync(owner, repository, run.Id, run.RunAttempt, cancellationToken).ConfigureAwait(false);
        return new RunLogView(
            Name, owner, repository, JobOf(owner, repository, run), run.Id, run.RunNumber, run.RunAttempt, run.Status, run.Conclusion,
            WorkflowRunMapper.Result(run.Status, run.Conclusion, out _) is null, run.HtmlUrl,
            jobs.Select(j => new JobLogView(j.Id, j.Name, j.Status, j.Conclusion, j.HtmlUrl,
                j.Steps.Select(s => new StepLogView(s.Number, s.Name, s.Status, s.Conclusion)).ToArray())).ToArray());
    }

    public async Task<Stream> OpenJobLogAsync(RunLogView run, long jobId, CancellationToken cancellationToken)
    {
        if (run.Master != Name || run.Jobs.All(j => j.Id != jobId))
        {
            throw IgorException.NotFound($"run {run.RunId} of {run.Owner}/{run.Repository} has no job {jobId}");
        }

        return await _github.OpenJobLogAsync(run.Owner, run.Repository, jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A run known by id only: its remembered repository, else each allowed repository in turn.</summary>
    private async Task<RunLogView?> FindRunLogAsync(long runId, CancellationToken cancellationToken)
    {
        if (_runRepositories.TryGetValue(runId, out var known))
        {
            var (owner, name) = Split(known);
            return await GetRunLogAsync(owner, name, runId, cancellationToken).ConfigureAwait(false);
        }

        var repositories = await _github.ListRepositoriesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var repository in repositories.Take(MaxRepositoriesSearched))
        {
            var (owner, name) = Split(repository);
            try
            {
                if (await GetRunLogAsync(owner, name, runId, cancellationToken).ConfigureAwait(false) is { } found)
                {
                    return found;
                }
            }
            catch (IgorException e) when (e.StatusCode is StatusCodes.Status409Conflict)
            {
                // The App is not installed there: the run cannot be in it.
            }
        }

        return null;
    }

    /// <summary>Which repository a run is of, for Deck's CI output (found by run id alone); bounded like the other caches.</summary>
    private void RememberRepository(long runId, string owner, string repository)
    {
        if (_runRepositories.Count >= 100_000)
        {
            _runRepositories.Clear();
        }

        _runRepositories[runId] = $"{owner}/{repository}";
    }

    /// <summary>The signed log page when <c>Spinnaker:LogPageUrl</c> is set, else the run's page on GitHub; always ending in '/'.</summary>
    private string BuildUrl(string owner, string repository, WorkflowRunInfo run)
    {
        if (!_runRepositories.ContainsKey(run.Id))
        {
            RememberRepository(run.Id, owner, repository);
        }

        return _links.PageUrl(Name, owner, repository, run.Id) ?? (run.HtmlUrl.EndsWith('/') ? run.HtmlUrl : run.HtmlUrl + "/");
    }

    private Task<bool> IsRepositoryAllowedAsync(string owner, string repository, CancellationToken cancellationToken) =>
        JobName.TryCreate(owner, repository, "any.yml", out var job, out _) ? IsAllowedAsync(job, cancellationToken) : Task.FromResult(false);

    /// <summary>owner/repo/file.yml from the run's workflow path (<c>.github/workflows/file.yml</c>, sometimes with <c>@ref</c>).</summary>
    private static string JobOf(string owner, string repository, WorkflowRunInfo run)
    {
        var path = run.Path ?? "";
        var at = path.IndexOf('@', StringComparison.Ordinal);
        var file = Path.GetFileName(at >= 0 ? path[..at] : path);
        return $"{owner}/{repository}/{(file.Length == 0 ? "workflow" : file)}";
    }
}
