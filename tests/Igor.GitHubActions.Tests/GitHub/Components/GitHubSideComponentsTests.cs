using Igor.GitHubActions.Deployments;
using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.Tests.GitHub.Components;

/// <summary>RunLogs, DeploymentWriter, CompletedRuns, FailedDeliveries and the master's refresh over the fake client.</summary>
[CancelAfter(30_000)]
public sealed class GitHubSideComponentsTests
{
    private MasterHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new MasterHarness();

    [Test]
    public async Task RunLogs_RunFoundById_ThroughTheInstalledRepositories_ThenRemembered()
    {
        // Arrange: tools/* admits the installation's tools/cli; Deck's output call names the run id only.
        _harness.Client.Repositories.AddRange(["acme/api", "tools/cli"]);
        _harness.Client.AddRun("tools/cli", "ci.yml", id: 70, number: 1);
        _harness.Client.AddJob(70, 700, "test", "ok\n");

        // Act
        var first = await _harness.Master.Logs.GetRunAsync(null, null, 70, CancellationToken.None);
        _harness.Time.Advance(_harness.GitHub.StatusCacheDuration + TimeSpan.FromSeconds(1));
        var reads = _harness.Client.Calls[nameof(IGitHubActionsClient.GetRunAsync)];
        var second = await _harness.Master.Logs.GetRunAsync(null, null, 70, CancellationToken.None);

        // Assert
        first!.Repository.Should().Be("cli");
        first.Jobs.Should().ContainSingle().Which.Name.Should().Be("test");
        second!.RunId.Should().Be(70);
        reads.Should().Be(2, "the first lookup tried acme/api, then tools/cli");
        _harness.Client.Calls[nameof(IGitHubActionsClient.GetRunAsync)].Should().Be(reads + 1, "the run's repository was remembered: only tools/cli is asked");
    }

    [Test]
    public async Task RunLogs_RepositoryOutsideTheAllowlist_IsNull_AndAJobOfAnotherRun_Is404()
    {
        _harness.Client.AddRun("acme/api", "build.yml", id: 71, number: 1);
        _harness.Client.AddJob(71, 710, "build", "log");

        var foreign = await _harness.Master.Logs.GetRunAsync("evil", "repo", 71, CancellationToken.None);
        var run = await _harness.Master.Logs.GetRunAsync("acme", "api", 71, CancellationToken.None);
        var act = () => _harness.Master.Logs.OpenJobLogAsync(run!, 999, CancellationToken.None);

        foreign.Should().BeNull();
        (await act.Should().ThrowAsync<IgorException>()).Which.StatusCode.Should().Be(404);
        _harness.Client.Calls.Should().NotContainKey(nameof(IGitHubActionsClient.OpenJobLogAsync));
    }

    [Test]
    public async Task DeploymentWriter_SameIntentTwice_MakesOneDeployment()
    {
        // The first call's answer was lost; the stage retries with the same intent.
        var request = new DeploymentRequest("main", "prod", "deploy", null, null, null, null, null) { Intent = "exec-1/stage-1" };

        var first = await _harness.Master.Deployments.CreateDeploymentAsync("acme", "api", request, CancellationToken.None);
        var again = await _harness.Master.Deployments.CreateDeploymentAsync("acme", "api", request, CancellationToken.None);

        again.Should().Be(first);
        _harness.Client.Deployments.Should().ContainSingle();
    }

    [Test]
    public async Task DeploymentWriter_RepositoryOutsideTheAllowlist_Is403AndNothingIsSent()
    {
        var act = () => _harness.Master.Deployments.CreateDeploymentStatusAsync(
            "evil", "repo", 1, new DeploymentStatusRequest("success", null, null, null, null, null), CancellationToken.None);

        var refusal = (await act.Should().ThrowAsync<IgorException>()).Which;
        refusal.StatusCode.Should().Be(403);
        refusal.Message.Should().Contain("evil/repo").And.Contain("allowlist");
        _harness.Client.DeploymentStatuses.Should().BeEmpty();
    }

    [Test]
    public async Task DeploymentWriter_WildcardRepositoryNotInstalled_IsRefused()
    {
        _harness.Client.Repositories.Add("tools/cli");

        var installed = await _harness.Master.Deployments.AllowsRepositoryAsync("tools", "cli", CancellationToken.None);
        var absent = await _harness.Master.Deployments.AllowsRepositoryAsync("tools", "other", CancellationToken.None);

        installed.Should().BeTrue();
        absent.Should().BeFalse("tools/* admits only the repositories the installation has");
    }

    [Test]
    public async Task CompletedRuns_RepositoryWhereTheAppIsNotInstalled_IsSkipped_OthersAreListed()
    {
        _harness.Client.Repositories.AddRange(["acme/api", "tools/cli"]);
        _harness.Client.AddRun("acme/api", "build.yml", id: 80, number: 9, updatedAt: MasterHarness.Start);
        _harness.Client.Fail = member => member == nameof(IGitHubActionsClient.ListCompletedRunsAsync) && _harness.Client.Calls[member] == 2
            ? new GitHubException(GitHubFailureKind.NotInstalled, "the GitHub App is not installed on tools/cli")
            : null;

        var completed = await _harness.Master.CompletedRuns.ListAsync(MasterHarness.Start.AddHours(-1), CancellationToken.None);

        var build = completed.Should().ContainSingle().Subject;
        build.Job.Should().Be("acme/api/build.yml");
        build.EventKey.Should().Be("run:80:1");
        (await _harness.Master.Runs.FindRunIdAsync(JobName.Parse("acme/api/build.yml"), 9, CancellationToken.None)).Should().Be(80, "listed runs are recorded");
    }

    [Test]
    public async Task CompletedRuns_RateLimited_Propagates()
    {
        _harness.Client.Repositories.Add("acme/api");
        _harness.Client.Fail = member => member == nameof(IGitHubActionsClient.ListCompletedRunsAsync)
            ? new GitHubException(GitHubFailureKind.RateLimited, "rate limit")
            : null;

        var act = () => _harness.Master.CompletedRuns.ListAsync(MasterHarness.Start, CancellationToken.None);

        await act.Should().ThrowAsync<GitHubException>();
    }

    [Test]
    public async Task FailedDeliveries_OnlyThoseNotAcceptedHere_AreRedelivered()
    {
        _harness.Client.FailedDeliveries.AddRange([(1, "guid-accepted"), (2, "guid-lost")]);

        var asked = await _harness.Master.FailedDeliveries.RedeliverAsync(
            (guid, _) => Task.FromResult(guid == "guid-accepted"), MasterHarness.Start.AddDays(-1), CancellationToken.None);

        asked.Should().Be(1);
        _harness.Client.Redelivered.Should().Equal(2L);
    }

    [Test]
    public async Task Refresh_ForgetsListings_SoTheNextJobListReadsGitHubAgain()
    {
        _harness.Client.Repositories.Add("acme/api");
        _harness.Client.Workflows["acme/api"] = [new WorkflowInfo(1, "Build", ".github/workflows/build.yml", "active", "u")];
        (await _harness.Master.Build.GetJobsAsync(CancellationToken.None)).Should().Equal("acme/api/build.yml");
        _harness.Client.Workflows["acme/api"].Add(new WorkflowInfo(2, "Deploy", ".github/workflows/deploy.yml", "active", "u"));

        var cached = await _harness.Master.Build.GetJobsAsync(CancellationToken.None);
        _harness.Master.Refresh();
        var refreshed = await _harness.Master.Build.GetJobsAsync(CancellationToken.None);

        cached.Should().Equal("acme/api/build.yml");
        refreshed.Should().Equal("acme/api/build.yml", "acme/api/deploy.yml");
        _harness.Client.Calls[nameof(IGitHubActionsClient.ForgetRepositories)].Should().Be(1);
    }

    [Test]
    public async Task JobList_RepositoryWhereTheAppIsNotInstalled_DoesNotHideTheOthers()
    {
        _harness.Client.Repositories.AddRange(["acme/api", "acme/web"]);
        _harness.Options.Repositories.Add("acme/web");
        _harness.Client.Workflows["acme/api"] = [new WorkflowInfo(1, "Build", ".github/workflows/build.yml", "active", "u")];
        _harness.Client.Fail = member => member == nameof(IGitHubActionsClient.ListWorkflowsAsync) && _harness.Client.Calls[member] == 2
            ? new GitHubException(GitHubFailureKind.NotInstalled, "not installed on acme/web")
            : null;

        var jobs = await _harness.Master.Build.GetJobsAsync(CancellationToken.None);

        jobs.Should().Equal("acme/api/build.yml");
    }
}
