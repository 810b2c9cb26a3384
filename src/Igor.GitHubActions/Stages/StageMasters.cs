using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.Stages;

/// <summary>Picks the master a stage call acts through: the one named, or the first whose allowlist has the repository.</summary>
internal static class StageMasters
{
    /// <summary>The master, once the named user (if any) may write through it.</summary>
    public static async Task<GitHubMaster> ResolveAsync(
        HttpContext context, StageInput input, GitHubMasters registry, string owner, string repository, CancellationToken cancellationToken)
    {
        var service = await ResolveAsync(registry, input.Optional("master"), owner, repository, cancellationToken).ConfigureAwait(false);
        await Security.FiatAuthorizationHandler.RequireStageWriteAsync(context, service.Name, input.Optional("user")).ConfigureAwait(false);
        return service;
    }

    private static async Task<GitHubMaster> ResolveAsync(
        GitHubMasters registry, string? master, string owner, string repository, CancellationToken cancellationToken)
    {
        if (master is not null)
        {
            if (!registry.TryGet(master, out var named))
            {
                throw IgorException.BadRequest($"master: no master named '{master}' (masters: {string.Join(", ", registry.All.Select(m => m.Name).Order(StringComparer.Ordinal))})");
            }

            return await named.Deployments.AllowsRepositoryAsync(owner, repository, cancellationToken).ConfigureAwait(false)
                ? named
                : throw IgorException.Forbidden($"repository: {owner}/{repository} is not in the repository allowlist of master '{master}'");
        }

        foreach (var service in registry.All.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (await service.Deployments.AllowsRepositoryAsync(owner, repository, cancellationToken).ConfigureAwait(false))
            {
                return service;
            }
        }

        throw IgorException.Forbidden($"repository: {owner}/{repository} is not in the repository allowlist of any master");
    }
}
