using System.Globalization;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.GitHub.Apps;

/// <summary>Reconciliation: the runs that finished since a moment, asked of GitHub for when webhooks did not tell.</summary>
internal sealed partial class CompletedRuns(string master, IGitHubActionsClient github, Runs.RunReader runs, ILogger<CompletedRuns> logger)
{
    /// <summary>One build event per run attempt: a re-run is announced again, a repeated webhook is not.</summary>
    public static string EventKey(WorkflowRunInfo run) =>
        string.Create(CultureInfo.InvariantCulture, $"run:{run.Id}:{run.RunAttempt}");

    /// <summary>The master's runs completed since <paramref name="since"/>, repository by repository; one that cannot be read is skipped.</summary>
    public async Task<IReadOnlyList<CompletedBuild>> ListAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var builds = new List<CompletedBuild>();
        foreach (var repository in await github.ListRepositoriesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!RepositoryAllowlist.TrySplit(repository, out var owner, out var name))
            {
                continue;
            }

            try
            {
                foreach (var (file, run) in await github.ListCompletedRunsAsync(owner, name, since, cancellationToken).ConfigureAwait(false))
                {
                    var job = new JobName(owner, name, file);
                    await runs.RememberAsync(job, [run], cancellationToken).ConfigureAwait(false);
                    builds.Add(new CompletedBuild(job.ToString(), runs.ToBuild(job, run), EventKey(run), run.Conclusion == "skipped"));
                }
            }
            catch (GitHubException e) when (e.Kind is GitHubFailureKind.NotFound or GitHubFailureKind.NotInstalled)
            {
                Log.RepositorySkipped(logger, master, repository, e.Message);
            }
        }

        return builds;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Master {Master} skips repository {Repository} in reconciliation: {Reason}")]
        public static partial void RepositorySkipped(ILogger logger, string master, string repository, string reason);
    }
}
