using System.Globalization;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.GitHub.Client;

namespace Igor.GitHubActions.GitHub.Runs;

/// <summary>
/// Maps a GitHub run to Igor's GenericBuild. Orca ends a stage only on SUCCESS, UNSTABLE, FAILURE or ABORTED, so
/// every finished run maps to one of those; an unknown conclusion is a FAILURE (and a warning), never NOT_BUILT.
/// </summary>
internal static class WorkflowRunMapper
{
    /// <summary>The result of a run, or null while it is still going (including runs waiting for approval).</summary>
    public static BuildResult? Result(string status, string? conclusion, out bool unknownConclusion)
    {
        unknownConclusion = false;
        if (status != "completed")
        {
            return null;
        }

        switch (conclusion)
        {
            case "success" or "neutral" or "skipped":
                return BuildResult.Success;
            case "failure" or "timed_out" or "startup_failure" or "stale":
                return BuildResult.Failure;
            case "cancelled":
                return BuildResult.Aborted;
            case "action_required":
                // The run waits for someone to approve it: keep the stage waiting, as while it runs.
                return null;
            default:
                unknownConclusion = true;
                return BuildResult.Failure;
        }
    }

    public static GenericBuild ToGenericBuild(string job, WorkflowRunInfo run, DateTimeOffset now, Action<string?>? onUnknownConclusion = null)
    {
        var result = Result(run.Status, run.Conclusion, out var unknown);
        if (unknown)
        {
            onUnknownConclusion?.Invoke(run.Conclusion);
        }

        var started = run.RunStartedAt ?? run.CreatedAt;
        var ended = result is null ? now : run.UpdatedAt;
        var branch = run.HeadBranch ?? run.HeadSha;
        return new GenericBuild
        {
            Building = result is null,
            Result = result,
            Number = run.RunNumber,
            Name = job,
            FullDisplayName = $"{job} #{run.RunNumber}",
            Id = run.Id.ToString(CultureInfo.InvariantCulture),
            Url = run.HtmlUrl.EndsWith('/') ? run.HtmlUrl : run.HtmlUrl + "/",
            Timestamp = started.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            Duration = Math.Max(0, (long)(ended - started).TotalMilliseconds),
            Scm =
            [
                new GenericGitRevision
                {
                    Name = run.HeadBranch is null ? run.HeadSha : "refs/heads/" + run.HeadBranch,
                    Branch = branch,
                    Sha1 = run.HeadSha,
                    Committer = run.CommitAuthor,
                    Message = run.CommitMessage,
                },
            ],
        };
    }
}
