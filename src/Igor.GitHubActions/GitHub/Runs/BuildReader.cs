using System.Runtime.CompilerServices;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.GitHub.Runs;

/// <summary>A job's builds as Igor's GenericBuilds: one by number (with its artifacts once finished), or the latest 25.</summary>
internal sealed class BuildReader(
    IGitHubActionsClient github, Jobs.WorkflowCatalog catalog, RunReader runs, Outputs.RunArtifacts artifacts)
{
    /// <summary>Finished builds by the cached run state they were made from; an entry goes with its run state.</summary>
    private readonly ConditionalWeakTable<WorkflowRunInfo, GenericBuild> _finished = [];

    /// <summary>One build of the job by number; a 404 when there is none.</summary>
    public async Task<GenericBuild> GetBuildAsync(JobName job, int buildNumber, CancellationToken cancellationToken)
    {
        if (buildNumber < 1)
        {
            throw IgorException.BadRequest($"{buildNumber} is not a build number: GitHub run numbers start at 1");
        }

        await catalog.FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
        var runId = await runs.FindRunIdAsync(job, buildNumber, cancellationToken).ConfigureAwait(false)
            ?? throw IgorException.NotFound($"{job} has no build {buildNumber}");
        var run = await runs.GetAsync(job, runId, cancellationToken).ConfigureAwait(false);
        if (_finished.TryGetValue(run, out var finished))
        {
            return finished;
        }

        var build = runs.ToBuild(job, run);
        if (build.Building)
        {
            return build;
        }

        // A finished build is the same for as long as this state of its run is cached (seconds): map it (and its artifacts)
        // once; moments after the run finished, its artifact listing is itself kept only seconds, so a late upload shows.
        build = build with { Artifacts = await artifacts.TryGenericAsync(job, run, cancellationToken).ConfigureAwait(false) };
        _finished.AddOrUpdate(run, build);
        return build;
    }

    /// <summary>The job's latest builds, newest first.</summary>
    public async Task<IReadOnlyList<GenericBuild>> GetBuildsAsync(JobName job, CancellationToken cancellationToken)
    {
        await catalog.FindWorkflowAsync(job, cancellationToken).ConfigureAwait(false);
        var listed = await github.ListRunsAsync(job.Owner, job.Repository, job.WorkflowFile, new RunQuery(PerPage: 25), cancellationToken).ConfigureAwait(false);
        await runs.RememberAsync(job, listed, cancellationToken).ConfigureAwait(false);
        return listed.OrderByDescending(r => r.RunNumber).Select(r => runs.ToBuild(job, r)).ToArray();
    }
}
