using Igor.GitHubActions.Deployments;
using Igor.GitHubActions.GitHub.Client;

namespace Igor.GitHubActions.GitHub.Deployments;

/// <summary>Deployments and statuses for the custom stages and Echo's pipeline events; only in the master's allowed repositories.</summary>
internal sealed class DeploymentWriter(string master, IGitHubActionsClient github, Jobs.WorkflowCatalog catalog)
{
    /// <summary>Whether the repository is in the master's allowlist (an <c>owner/*</c> entry asks the installation).</summary>
    public Task<bool> AllowsRepositoryAsync(string owner, string repository, CancellationToken cancellationToken) =>
        catalog.IsAllowedAsync(owner, repository, cancellationToken);

    /// <summary>
    /// Creates the deployment, or finds the one an earlier call with the same intent created (its answer lost to a
    /// timeout, a 5xx or a crash): a retried stage never makes a second deployment.
    /// </summary>
    public async Task<long> CreateDeploymentAsync(string owner, string repository, DeploymentRequest request, CancellationToken cancellationToken)
    {
        await RequireAllowedAsync(owner, repository, cancellationToken).ConfigureAwait(false);
        if (request.Intent is { } intent &&
            await github.FindDeploymentAsync(owner, repository, request.Environment, request.Ref, intent, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        return await github.CreateDeploymentAsync(owner, repository, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateDeploymentStatusAsync(string owner, string repository, long deploymentId, DeploymentStatusRequest status, CancellationToken cancellationToken)
    {
        await RequireAllowedAsync(owner, repository, cancellationToken).ConfigureAwait(false);
        await github.CreateDeploymentStatusAsync(owner, repository, deploymentId, status, cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateCommitStatusAsync(string owner, string repository, string sha, CommitStatusRequest status, CancellationToken cancellationToken)
    {
        await RequireAllowedAsync(owner, repository, cancellationToken).ConfigureAwait(false);
        await github.CreateCommitStatusAsync(owner, repository, sha, status, cancellationToken).ConfigureAwait(false);
    }

    private async Task RequireAllowedAsync(string owner, string repository, CancellationToken cancellationToken)
    {
        if (!await AllowsRepositoryAsync(owner, repository, cancellationToken).ConfigureAwait(false))
        {
            throw global::Igor.GitHubActions.Igor.Http.IgorException.Forbidden($"repository: {owner}/{repository} is not in the repository allowlist of master '{master}'");
        }
    }
}
