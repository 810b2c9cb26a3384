using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.GitHub.Runs;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Igor.Queue;

namespace Igor.GitHubActions.Tests.GitHub.Components;

/// <summary>RunReader, BuildReader, RunCanceller and RunResolver over the fake client.</summary>
[CancelAfter(30_000)]
public sealed class RunComponentsTests
{
    private static readonly JobName Build = MasterHarness.Build;

    private MasterHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = MasterHarness.WithBuildWorkflow();

    [Test]
    public async Task RunReader_RunNumberSeenOnce_IsFoundAgainWithoutAskingGitHub()
    {
        // Arrange: GitHub lists run 7 once; a second reader on the same store (another replica) must not list again.
        _harness.Client.AddRun("acme/api", "build.yml", id: 9_007, number: 7);
        (await _harness.Master.Runs.FindRunIdAsync(Build, 7, CancellationToken.None)).Should().Be(9_007);
        var listings = _harness.Client.Calls[nameof(IGitHubActionsClient.ListRunsAsync)];
        var otherReplica = new MasterHarness();
        otherReplica.Client.Fail = member => member == nameof(IGitHubActionsClient.ListRunsAsync) ? new InvalidOperationException("listed again") : null;
        var reader = new global::Igor.GitHubActions.GitHub.Runs.RunReader(
            "github", otherReplica.GitHub, otherReplica.Client, _harness.Store, new global::Igor.GitHubActions.Logs.LogLinks(
                Microsoft.Extensions.Options.Options.Create(new global::Igor.GitHubActions.Configuration.SpinnakerOptions { LogLinkKey = "k" }),
                Microsoft.Extensions.Options.Options.Create(otherReplica.GitHub)),
            otherReplica.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<global::Igor.GitHubActions.GitHub.Runs.RunReader>.Instance);

        // Act
        var found = await reader.FindRunIdAsync(Build, 7, CancellationToken.None);

        // Assert
        found.Should().Be(9_007, "the run number was recorded in the shared store");
        listings.Should().Be(1);
    }

    [Test]
    public async Task RunReader_NumberBeyondEveryRun_IsNull()
    {
        _harness.Client.AddRun("acme/api", "build.yml", id: 1, number: 1);

        var found = await _harness.Master.Runs.FindRunIdAsync(Build, 2, CancellationToken.None);

        found.Should().BeNull();
    }

    [Test]
    public async Task RunReader_FreshWebhookSnapshot_IsUsedWithoutAGitHubRead_AStaleOneIsNot()
    {
        // Arrange: GitHub says in_progress; a webhook said completed moments ago.
        var run = _harness.Client.AddRun("acme/api", "build.yml", id: 42, number: 3, status: "in_progress", conclusion: null);
        var pushed = run with { Status = "queued" };
        await _harness.Store.Snapshots.SaveRunSnapshotAsync(RunSnapshots.From(pushed, _harness.Time.GetUtcNow()), CancellationToken.None);

        // Act
        var fresh = await _harness.Master.Runs.GetAsync(Build, 42, CancellationToken.None);
        _harness.Time.Advance(_harness.GitHub.WebhookFreshness + TimeSpan.FromSeconds(2));
        var stale = await _harness.Master.Runs.GetAsync(Build, 42, CancellationToken.None);

        // Assert
        fresh.Status.Should().Be("queued", "a fresh webhook snapshot answers without GitHub");
        stale.Status.Should().Be("in_progress", "a stale snapshot of an unfinished run is read again from GitHub");
        _harness.Client.Calls[nameof(IGitHubActionsClient.GetRunAsync)].Should().Be(1);
    }

    [Test]
    public async Task BuildReader_FinishedBuild_HasItsArtifacts_ARunningOneHasNone()
    {
        _harness.Client.AddRun("acme/api", "build.yml", id: 10, number: 1);
        _harness.Client.AddArtifact(10, 77, "dist", "app.tgz", "bytes");
        _harness.Client.AddRun("acme/api", "build.yml", id: 11, number: 2, status: "in_progress", conclusion: null);
        _harness.Time.Advance(TimeSpan.FromHours(1));

        var finished = await _harness.Master.Builds.GetBuildAsync(Build, 1, CancellationToken.None);
        var running = await _harness.Master.Builds.GetBuildAsync(Build, 2, CancellationToken.None);

        finished.Building.Should().BeFalse();
        finished.Artifacts.Should().ContainSingle().Which.FileName.Should().Be("dist");
        running.Building.Should().BeTrue();
        running.Artifacts.Should().BeEmpty();
        _harness.Client.Calls[nameof(IGitHubActionsClient.ListArtifactsAsync)].Should().Be(1, "a running build's uploads are not listed");
    }

    [Test]
    public async Task BuildReader_JobOutsideTheAllowlist_Is404WithoutAskingGitHub()
    {
        var act = () => _harness.Master.Builds.GetBuildAsync(JobName.Parse("evil/repo/build.yml"), 1, CancellationToken.None);

        (await act.Should().ThrowAsync<IgorException>()).Which.StatusCode.Should().Be(404);
        _harness.Client.Calls.Should().NotContainKey(nameof(IGitHubActionsClient.ListRunsAsync));
    }

    [Test]
    public async Task RunCanceller_QueueItemWithoutRun_WaitsForTheRun_ThenQueueFollowerSendsTheCancelOnce()
    {
        // Arrange: an item dispatched (Sent) whose run GitHub has not shown yet.
        var item = (await _harness.Store.QueueItems.GetOrCreateAsync(NewItem(), CancellationToken.None)).Item;

        // Act 1: Orca stops the build before its run is known.
        await _harness.Master.Canceller.StopAsync(Build, item.Id, 0, CancellationToken.None);

        // Assert 1: nothing is sent yet; the request is recorded.
        _harness.Client.Cancels.Should().BeEmpty();
        (await _harness.Store.QueueItems.GetAsync(item.Id, CancellationToken.None))!.CancelRequested.Should().BeTrue();

        // Act 2: the run is known now; two polls follow.
        _harness.Client.AddRun("acme/api", "build.yml", id: 555, number: 4, status: "queued", conclusion: null);
        var resolved = await _harness.Store.QueueItems.GetAsync(item.Id, CancellationToken.None);
        (await _harness.Store.QueueItems.TryUpdateAsync(resolved! with { State = QueueItemState.Resolved, RunId = 555, RunNumber = 4 }, CancellationToken.None)).Should().NotBeNull();
        await _harness.Master.Queue.GetQueuedBuildAsync(item.Id, CancellationToken.None);
        await _harness.Master.Queue.GetQueuedBuildAsync(item.Id, CancellationToken.None);

        // Assert 2: one cancel, recorded as sent.
        _harness.Client.Cancels.Should().Equal((555L, false));
        (await _harness.Store.QueueItems.GetAsync(item.Id, CancellationToken.None))!.CancelSent.Should().BeTrue();
    }

    [Test]
    public async Task RunCanceller_CancelGitHubRefusesForGood_IsRecordedAsSentAndNotAskedAgain()
    {
        var item = (await _harness.Store.QueueItems.GetOrCreateAsync(NewItem() with { State = QueueItemState.Resolved, RunId = 556, RunNumber = 5 }, CancellationToken.None)).Item;
        _harness.Client.Fail = member => member == nameof(IGitHubActionsClient.CancelRunAsync)
            ? new GitHubException(GitHubFailureKind.Forbidden, "GitHub refused the cancel (403): the App needs actions=write")
            : null;

        await _harness.Master.Canceller.StopAsync(Build, item.Id, 5, CancellationToken.None);
        await _harness.Master.Queue.GetQueuedBuildAsync(item.Id, CancellationToken.None);

        _harness.Client.Calls[nameof(IGitHubActionsClient.CancelRunAsync)].Should().Be(1);
        (await _harness.Store.QueueItems.GetAsync(item.Id, CancellationToken.None))!.CancelSent.Should().BeTrue();
    }

    [Test]
    public async Task RunCanceller_TransientFailure_IsNotRecordedAsSent()
    {
        var item = (await _harness.Store.QueueItems.GetOrCreateAsync(NewItem() with { State = QueueItemState.Resolved, RunId = 557, RunNumber = 6 }, CancellationToken.None)).Item;
        _harness.Client.Fail = member => member == nameof(IGitHubActionsClient.CancelRunAsync)
            ? new GitHubException(GitHubFailureKind.Transient, "GitHub answered 502")
            : null;

        var act = () => _harness.Master.Canceller.StopAsync(Build, item.Id, 6, CancellationToken.None);

        await act.Should().ThrowAsync<GitHubException>();
        (await _harness.Store.QueueItems.GetAsync(item.Id, CancellationToken.None))!.CancelSent.Should().BeFalse("the cancel is sent again on the next poll");
    }

    [Test]
    public async Task QueueFollower_QueueIdOfAnotherMaster_IsGone()
    {
        var item = (await _harness.Store.QueueItems.GetOrCreateAsync(NewItem() with { Master = "other" }, CancellationToken.None)).Item;

        var act = () => _harness.Master.Queue.GetQueuedBuildAsync(item.Id, CancellationToken.None);

        (await act.Should().ThrowAsync<IgorException>()).Which.StatusCode.Should().Be(410);
    }

    private QueueItem NewItem() => new()
    {
        IdempotencyKey = Guid.NewGuid().ToString("N"),
        Master = "github",
        Job = Build.ToString(),
        DispatchId = Guid.NewGuid().ToString("N"),
        State = QueueItemState.Sent,
        CreatedAt = _harness.Time.GetUtcNow(),
        DispatchedAt = _harness.Time.GetUtcNow(),
    };
}
