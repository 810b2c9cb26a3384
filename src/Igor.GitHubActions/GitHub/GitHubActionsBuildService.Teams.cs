using Igor.GitHubActions.Igor;

namespace Igor.GitHubActions.GitHub;

/// <summary>RequireTeamWriteAccess: the master starts a workflow only where every listed team may write.</summary>
internal sealed partial class GitHubActionsBuildService
{
    private async Task CheckTeamWriteAccessAsync(JobName job, CancellationToken cancellationToken)
    {
        foreach (var team in _master.RequireTeamWriteAccess)
        {
            var slash = team.IndexOf('/', StringComparison.Ordinal);
            if (!await _github.TeamCanWriteAsync(team[..slash], team[(slash + 1)..], job.Owner, job.Repository, cancellationToken).ConfigureAwait(false))
            {
                Log.TeamAccessDenied(_logger, Name, job.ToString(), team);
                throw new IgorException(
                    StatusCodes.Status403Forbidden,
                    $"access denied: master '{Name}' starts workflows only where the GitHub team {team} has write access, and it has none on {job.FullRepository}");
            }
        }
    }
}
