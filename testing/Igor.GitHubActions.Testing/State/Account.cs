namespace Igor.GitHubActions.Testing;

/// <summary>A GitHub user, organization or bot as it appears in <c>owner</c>, <c>actor</c>, <c>creator</c> and <c>sender</c>.</summary>
/// <param name="Login">Login, e.g. <c>acme</c> or <c>spinnaker-igor[bot]</c>.</param>
/// <param name="Id">Account id.</param>
/// <param name="Type"><c>User</c>, <c>Organization</c> or <c>Bot</c>.</param>
public sealed record Account(string Login, long Id, string Type);
