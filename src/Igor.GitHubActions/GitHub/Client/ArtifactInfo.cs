namespace Igor.GitHubActions.GitHub.Client;

/// <summary>An artifact uploaded by a run (always a zip archive on GitHub's side).</summary>
internal sealed record ArtifactInfo(long Id, string Name, long SizeInBytes, bool Expired);
