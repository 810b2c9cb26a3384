namespace Igor.GitHubActions.Testing.State;

/// <summary>A downloadable object behind a signed, expiring URL (job logs, run log archives, artifact zips).</summary>
internal sealed record BlobEntry(string Id, string ContentType, Func<Stream> Open, string? FileName);
