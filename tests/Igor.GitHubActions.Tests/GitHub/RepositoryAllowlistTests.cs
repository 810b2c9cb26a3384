using Igor.GitHubActions.GitHub;

namespace Igor.GitHubActions.Tests.GitHub;

public sealed class RepositoryAllowlistTests
{
    private static readonly RepositoryAllowlist Allowlist = new(["acme/api", "tools/*"]);

    [TestCase("acme", "api", true)]
    [TestCase("ACME", "Api", true)]
    [TestCase("acme", "web", false)]
    [TestCase("tools", "anything", true)]
    [TestCase("Tools", "cli", true)]
    [TestCase("toolsx", "cli", false)]
    [TestCase("evil", "api", false)]
    public void Names_ExactOrByOwnerWildcard_WithoutCase(string owner, string repository, bool named) =>
        Allowlist.Names(owner, repository).Should().Be(named);

    [Test]
    public async Task AdmitsAsync_ExactEntry_DoesNotAskTheInstallation()
    {
        var asked = 0;

        var admitted = await Allowlist.AdmitsAsync("acme", "api", _ => { asked++; return Task.FromResult<IReadOnlyList<string>>([]); }, CancellationToken.None);

        admitted.Should().BeTrue();
        asked.Should().Be(0);
    }

    [Test]
    public async Task AdmitsAsync_WildcardEntry_AdmitsOnlyWhatTheInstallationHas()
    {
        Task<IReadOnlyList<string>> Installed(CancellationToken _) => Task.FromResult<IReadOnlyList<string>>(["tools/cli"]);

        (await Allowlist.AdmitsAsync("tools", "CLI", Installed, CancellationToken.None)).Should().BeTrue();
        (await Allowlist.AdmitsAsync("tools", "secret", Installed, CancellationToken.None)).Should().BeFalse();
        (await Allowlist.AdmitsAsync("evil", "cli", Installed, CancellationToken.None)).Should().BeFalse();
    }

    [TestCase("acme/api", true)]
    [TestCase("acme", false)]
    [TestCase("/api", false)]
    [TestCase("acme/", false)]
    [TestCase("acme/api/x", false)]
    public void TrySplit_OnlyOwnerSlashName(string fullName, bool valid) =>
        RepositoryAllowlist.TrySplit(fullName, out _, out _).Should().Be(valid);
}
