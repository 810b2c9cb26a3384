using System.Globalization;
using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.GitHub;

/// <summary>Reconciliation and webhook recovery: what webhooks should have told, asked of GitHub instead.</summary>
internal sealed partial class GitHubActionsBuildService
{
    public void Refresh()
    {
        _github.ForgetRepositories();
        _catalog.Forget();
    }

    public async Task<IReadOnlyList<CompletedBuild>> GetCompletedBuildsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var builds = new List<CompletedBuild>();
        foreach (var repository in await _github.ListRepositoriesAsync(cancellationToken).ConfigureAwait(false))
        {
            var (owner, name) = Split(repository);
            try
            {
                var runs = await _github.ListCompletedRunsAsync(owner, name, since, cancellationToken).ConfigureAwait(false);
                foreach (var (file, run) in runs)
                {
                    var job = new JobName(owner, name, file);
                    await RememberAsync(job, [run], cancellationToken).ConfigureAwait(false);
                    builds.Add(new CompletedBuild(job.ToString(), ToBuild(job, run), EventKey(run), run.Conclusion == "skipped"));
                }
            }
            catch (IgorException e) when (e.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status409Conflict)
            {
                Log.RepositorySkipped(_logger, _master.Name, repository, e.Message);
            }
        }

        return builds;
    }

    public async Task<int> RedeliverFailedWebhooksAsync(Func<string, CancellationToken, Task<bool>> accepted, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var asked = 0;
        foreach (var (id, guid) in await _github.ListFailedDeliveriesAsync(since, cancellationToken).ConfigureAwait(false))
        {
            if (!await accepted(guid, cancellationToken).ConfigureAwait(false))
            {
                await _github.RedeliverAsync(id, cancellationToken).ConfigureAwait(false);
                asked++;
            }
        }

        return asked;
    }

    /// <summary>One build event per run attempt: a re-run is announced again, a repeated webhook is not.</summary>
    public static string EventKey(WorkflowRunInfo run) =>
        string.Create(CultureInfo.InvariantCulture, $"run:{run.Id}:{run.RunAttempt}");
}
