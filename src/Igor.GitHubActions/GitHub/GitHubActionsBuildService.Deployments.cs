using Igor.GitHubActions.Deployments;
using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.GitHub;

/// <summary>Deployments and statuses for the custom stages and Echo's pipeline events; only in allowed repositories.</summary>
internal sealed partial class GitHubActionsBuildService
{
    public Task<bool> AllowsRepositoryAsync(string owner, string repository, CancellationToken cancellationToken) =>
        JobName.TryCreate(owner, repository, "x.yml", out var job, out _)
            ? IsAllowedAsync(job, cancellationToken)
            : Task.FromResult(false);

    public async Task<long> CreateDeploymentAsync(string owner, string repository, DeploymentRequest request, CancellationToken cancellationToken)
    {
        await RequireAllowedAsync(owner, repository, cancellationToken).ConfigureAwait(false);
        if (request.Intent is { } intent &&
            await _github.FindDeploymentAsync(owner, repository, request.Environment, request.Ref, intent, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            // An earlier call created it and its answer was lost (a timeout, a 5xx, a crash): that is the deployment.
            return existing;
        }

        return await _github.CreateDeploymentAsync(owner, repository, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateDeploymentStatusAsync(string owner, string repository, long deploymentId, DeploymentStatusRequest status, CancellationToken cancellationToken)
    {
        await RequireAllowedAsync(owner, repository, cancellationToken).ConfigureAwait(false);
        await _github.CreateDeploymentStatusAsync(owner, repository, deploymentId, status, cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateCommitStatusAsync(string owner, string repository, string sha, CommitStatusRequest status, CancellationToken cancellationToken)
    {
        await RequireAllowedAsync(owner, repository, cancellationToken).ConfigureAwait(false);
        await _github.CreateCommitStatusAsync(owner, repository, sha, status, cancellationToken).ConfigureAwait(false);
    }

    private async Task RequireAllowedAsync(string owner, string repository, CancellationToken cancellationToken)
    {
        if (!await AllowsRepositoryAsync(owner, repository, cancellationToken).ConfigureAwait(false))
        {
            throw new IgorException(StatusCodes.Status403Forbidden, $"repository: {owner}/{repository} is not in the repository allowlist of master '{Name}'");
        }
    }
}
