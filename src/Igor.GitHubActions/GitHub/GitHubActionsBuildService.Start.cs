using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.GitHub;

/// <summary>Starting a build: the dispatch state machine (<see cref="Dispatch.WorkflowDispatcher"/>) does it exactly once.</summary>
internal sealed partial class GitHubActionsBuildService
{
    public Task<long> StartBuildAsync(JobName job, BuildRequest request, CancellationToken cancellationToken) =>
        _dispatcher.StartAsync(job, request, cancellationToken);
}
