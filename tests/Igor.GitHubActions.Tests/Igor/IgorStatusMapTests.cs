using Igor.GitHubActions.GitHub;

namespace Igor.GitHubActions.Tests.Igor;

public sealed class IgorStatusMapTests
{
    /// <summary>What Orca does with each (contract: 429, 502, 503, 504 retried everywhere; other 4xx fail the stage at once).</summary>
    [TestCase("NotFound", null, 404)]
    [TestCase("NotFound", 410, 410)]
    [TestCase("NotInstalled", null, 409)]
    [TestCase("Forbidden", 403, 424)]
    [TestCase("Refused", 422, 422)]
    [TestCase("Refused", 429, 422)]
    [TestCase("RateLimited", 429, 503)]
    [TestCase("Transient", 500, 503)]
    [TestCase("Unexpected", 200, 502)]
    public void IgorStatusMap_EachKind_IsTheStatusOrcaActsOnRightly(string kind, int? gitHub, int expected) =>
        new GitHubException(Enum.Parse<GitHubFailureKind>(kind), "m", gitHubStatus: gitHub).StatusCode.Should().Be(expected);
}
