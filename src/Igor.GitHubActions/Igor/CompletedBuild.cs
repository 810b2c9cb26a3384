using Igor.GitHubActions.Contracts.Builds;

namespace Igor.GitHubActions.Igor;

/// <summary>A finished build of a job; <see cref="EventKey"/> names the run attempt, so each is announced once.</summary>
internal sealed record CompletedBuild(string Job, GenericBuild Build, string EventKey, bool Skipped = false);
