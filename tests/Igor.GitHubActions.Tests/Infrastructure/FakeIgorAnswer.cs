namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>A canned answer of the fake Igor.</summary>
public sealed record FakeIgorAnswer(int Status, string ContentType, byte[] Body, Dictionary<string, string>? Headers = null);
