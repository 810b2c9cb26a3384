using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.GitHub.Runs;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Logs;

namespace Igor.GitHubActions.GitHub.Logs;

/// <summary>Runs and jobs for the log page and Deck's CI output; logs are streamed from GitHub, never stored.</summary>
internal sealed class RunLogs(string master, IGitHubActionsClient github, Jobs.WorkflowCatalog catalog, Runs.RunReader runs)
{
    private const int MaxRepositoriesSearched = 50;

    /// <summary>A run of one of the master's repositories with its jobs (found by id alone when no repository is given); null when not the master's.</summary>
    public async Task<RunLogView?> GetRunAsync(string? owner, string? repository, long runId, CancellationToken cancellationToken)
    {
        if (owner is null || repository is null)
        {
            return await FindAsync(runId, cancellationToken).ConfigureAwait(false);
        }

        if (!await catalog.IsAllowedAsync(owner, repository, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        WorkflowRunInfo run;
        try
        {
            run = await runs.ReadAsync(owner, repository, runId, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubException e) when (e.Kind == GitHubFailureKind.NotFound)
        {
            return null;
        }

        runs.RememberRepository(runId, owner, repository);
        var jobs = await github.ListJobsAsync(owner, repository, run.Id, run.RunAttempt, cancellationToken).ConfigureAwait(false);
        return new RunLogView(
            master, owner, repository, Runs.RunReader.JobOf(owner, repository, run), run.Id, run.RunNumber, run.RunAttempt, run.Status, run.Conclusion,
            WorkflowRunMapper.Result(run.Status, run.Conclusion, out _) is null, run.HtmlUrl,
            jobs.Select(j => new JobLogView(j.Id, j.Name, j.Status, j.Conclusion, j.HtmlUrl,
                j.Steps.Select(s => new StepLogView(s.Number, s.Name, s.Status, s.Conclusion)).ToArray())).ToArray());
    }

    /// <summary>A job's log streamed from GitHub; the caller disposes it. A 404 when the job is not the run's.</summary>
    public async Task<Stream> OpenJobLogAsync(RunLogView run, long jobId, CancellationToken cancellationToken)
    {
        if (run.Master != master || run.Jobs.All(j => j.Id != jobId))
        {
            throw IgorException.NotFound($"run {run.RunId} of {run.Owner}/{run.Repository} has no job {jobId}");
        }

        return await github.OpenJobLogAsync(run.Owner, run.Repository, jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A run known by id only: its remembered repository, else each allowed repository in turn.</summary>
    private async Task<RunLogView?> FindAsync(long runId, CancellationToken cancellationToken)
    {
        if (runs.TryGetRepository(runId, out var knownOwner, out var knownName))
        {
            return await GetRunAsync(knownOwner, knownName, runId, cancellationToken).ConfigureAwait(false);
        }

        var repositories = await github.ListRepositoriesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var repository in repositories.Take(MaxRepositoriesSearched))
        {
            if (!RepositoryAllowlist.TrySplit(repository, out var owner, out var name))
            {
                continue;
            }

            try
            {
                if (await GetRunAsync(owner, name, runId, cancellationToken).ConfigureAwait(false) is { } found)
                {
                    return found;
                }
            }
            catch (GitHubException e) when (e.Kind == GitHubFailureKind.NotInstalled)
            {
                // The App is not installed there: the run cannot be in it.
            }
        }

        return null;
    }
}
