using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.Tests.GitHub.Components;

/// <summary>RunArtifacts, BuildPropertiesReader and CiBuilds over the fake client.</summary>
[CancelAfter(30_000)]
public sealed class OutputComponentsTests
{
    private static readonly JobName Build = MasterHarness.Build;

    private MasterHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = MasterHarness.WithBuildWorkflow();

    [Test]
    public async Task BuildPropertiesReader_FileInAnArtifact_ThenLogLines_AreMerged()
    {
        // Arrange: a finished run that uploaded build.properties and printed one more property.
        _harness.Client.AddRun("acme/api", "build.yml", id: 20, number: 1, updatedAt: MasterHarness.Start.AddHours(-1));
        _harness.Client.AddArtifact(20, 200, "props", "build.properties", "version=1.2.3\n");
        _harness.Client.AddJob(20, 2_000, "build", "2026-01-01T12:00:00.0000000Z SPINNAKER_PROPERTY_IMAGE=acme/api:1.2.3\n");

        // Act
        var properties = await _harness.Master.Properties.GetBuildPropertiesAsync(Build, 1, "build.properties", CancellationToken.None);

        // Assert
        properties["version"]!.GetValue<string>().Should().Be("1.2.3");
        properties["image"]!.GetValue<string>().Should().Be("acme/api:1.2.3", "Igor lower-cases a SPINNAKER_PROPERTY_ name");
    }

    [Test]
    public async Task BuildPropertiesReader_RunningBuild_Is503SoOrcaAsksAgain()
    {
        _harness.Client.AddRun("acme/api", "build.yml", id: 21, number: 2, status: "in_progress", conclusion: null);

        var act = () => _harness.Master.Properties.GetBuildPropertiesAsync(Build, 2, "build.properties", CancellationToken.None);

        (await act.Should().ThrowAsync<IgorException>()).Which.StatusCode.Should().Be(503);
        _harness.Client.Calls.Should().NotContainKey(nameof(IGitHubActionsClient.ListArtifactsAsync));
    }

    [Test]
    public async Task BuildPropertiesReader_JustFinishedWithoutTheFile_Is503_SettledWithoutIt_IsEmpty()
    {
        // Moments after the run, GitHub may not list its upload yet; once settled, no file means none.
        _harness.Client.AddRun("acme/api", "build.yml", id: 22, number: 3, updatedAt: MasterHarness.Start);

        var early = () => _harness.Master.Properties.GetBuildPropertiesAsync(Build, 3, "build.properties", CancellationToken.None);
        (await early.Should().ThrowAsync<IgorException>()).Which.StatusCode.Should().Be(503);

        _harness.Time.Advance(_harness.GitHub.ArtifactSettleTime + TimeSpan.FromSeconds(1));
        var settled = await _harness.Master.Properties.GetBuildPropertiesAsync(Build, 3, "build.properties", CancellationToken.None);

        settled.Should().BeEmpty();
    }

    [Test]
    public async Task BuildPropertiesReader_ArtifactOverTheCap_SaysWhyItWasNotSearched()
    {
        _harness.GitHub.MaxArtifactBytes = 10;
        _harness.Client.AddRun("acme/api", "build.yml", id: 23, number: 4, updatedAt: MasterHarness.Start.AddHours(-1));
        _harness.Client.AddArtifact(23, 230, "big", "other.txt", new string('x', 500));

        var act = () => _harness.Master.Properties.GetBuildPropertiesAsync(Build, 4, "build.properties", CancellationToken.None);

        var refusal = (await act.Should().ThrowAsync<IgorException>()).Which;
        refusal.StatusCode.Should().Be(422);
        refusal.Message.Should().Contain("'big'").And.Contain("GitHub:MaxArtifactBytes");
    }

    [Test]
    public async Task RunArtifacts_ListingFails_TheBuildIsStillAnsweredWithoutArtifacts()
    {
        var run = _harness.Client.AddRun("acme/api", "build.yml", id: 24, number: 5, updatedAt: MasterHarness.Start.AddHours(-1));
        _harness.Client.Fail = member => member == nameof(IGitHubActionsClient.ListArtifactsAsync)
            ? new GitHubException(GitHubFailureKind.Transient, "GitHub answered 502")
            : null;

        var artifacts = await _harness.Master.Artifacts.TryGenericAsync(Build, run, CancellationToken.None);

        artifacts.Should().BeEmpty();
        _harness.Client.Calls[nameof(IGitHubActionsClient.ListArtifactsAsync)].Should().Be(1);
    }

    [Test]
    public async Task RunArtifacts_SettledListing_IsReadOncePerAttempt()
    {
        var run = _harness.Client.AddRun("acme/api", "build.yml", id: 25, number: 6, updatedAt: MasterHarness.Start.AddHours(-1));
        _harness.Client.AddArtifact(25, 250, "dist", "a.txt", "a");

        await _harness.Master.Artifacts.ListAsync(Build, run, CancellationToken.None);
        await _harness.Master.Artifacts.ListAsync(Build, run, CancellationToken.None);
        await _harness.Master.Artifacts.ListAsync(Build, run with { RunAttempt = 2 }, CancellationToken.None);

        _harness.Client.Calls[nameof(IGitHubActionsClient.ListArtifactsAsync)].Should().Be(2, "one listing per attempt");
    }

    [Test]
    public async Task CiBuilds_RepositoryOfTheMaster_AnswersDecksFields_ForeignOneIsNull()
    {
        _harness.Client.AddRun("acme/api", "build.yml", id: 30, number: 1, status: "in_progress", conclusion: null);

        var builds = await _harness.Master.CiBuilds.GetAsync(new CiBuildQuery("acme", "api", false, null, null), CancellationToken.None);
        var foreign = await _harness.Master.CiBuilds.GetAsync(new CiBuildQuery("evil", "repo", false, null, null), CancellationToken.None);

        var build = builds.Should().ContainSingle().Subject;
        build.Result.Should().Be(BuildResult.Building);
        build.Properties!["projectKey"].Should().Be("acme");
        build.Properties["repoSlug"].Should().Be("api");
        build.Properties["completedTs"].Should().Be("");
        build.Scm[0].CompareUrl.Should().Be("https://github.com/acme/api/commit/abc123");
        foreign.Should().BeNull();
        _harness.Client.Calls[nameof(IGitHubActionsClient.ListRepositoryRunsAsync)].Should().Be(1, "a foreign repository is never listed");
    }
}
