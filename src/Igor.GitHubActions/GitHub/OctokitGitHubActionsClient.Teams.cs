using Igor.GitHubActions.Igor;
using Octokit;

namespace Igor.GitHubActions.GitHub;

/// <summary>The team check before a dispatch (RequireTeamWriteAccess).</summary>
internal sealed partial class OctokitGitHubActionsClient
{
    private const string TeamRepositoryMediaType = "application/vnd.github.v3.repository+json";

    public async Task<bool> TeamCanWriteAsync(string organization, string teamSlug, string owner, string repository, CancellationToken cancellationToken)
    {
        try
        {
            // See https://docs.github.com/rest/teams/teams#check-team-permissions-for-a-repository: 404 = no access; with the
            // repository media type 200 carries the team's permissions (a plain 204 only says it has some access).
            return await CallAsync(owner, repository, $"the access of team {organization}/{teamSlug} to {owner}/{repository}", async client =>
            {
                var uri = new Uri(
                    $"orgs/{Uri.EscapeDataString(organization)}/teams/{Uri.EscapeDataString(teamSlug)}/repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repository)}",
                    UriKind.Relative);
                var response = await client.Connection.Get<Repository>(uri, null, TeamRepositoryMediaType).ConfigureAwait(false);
                // Fail closed: an answer that does not show push, maintain or admin is no write access.
                return response.Body?.Permissions is { } permissions && (permissions.Push || permissions.Maintain || permissions.Admin);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubException e) when (e.Kind == GitHubFailureKind.NotFound)
        {
            return false;
        }
    }
}
