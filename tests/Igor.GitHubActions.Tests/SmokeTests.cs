namespace Igor.GitHubActions.Tests;

public sealed class SmokeTests
{
    [Test]
    public void Build_Works() => (1 + 1).Should().Be(2);
}
