using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.GitHub.Client;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Igor.Queue;

namespace Igor.GitHubActions.Tests.GitHub.Components;

/// <summary>The dispatcher's state machine and the client's read cache over the fake client.</summary>
[CancelAfter(30_000)]
public sealed class DispatchAndCacheComponentsTests
{
    private static readonly JobName Build = MasterHarness.Build;

    private MasterHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = MasterHarness.WithBuildWorkflow();

    private static BuildRequest Request(string execution = "01JEXEC") =>
        new(new Dictionary<string, string>(), $"{execution}:stage:task", "1767268800000");

    [Test]
    public async Task Dispatcher_SameStageTwice_DispatchesOnce_AndAnswersTheSameQueueId()
    {
        var first = await _harness.Master.Dispatcher.StartAsync(Build, Request(), CancellationToken.None);
        var again = await _harness.Master.Dispatcher.StartAsync(Build, Request(), CancellationToken.None);

        again.Should().Be(first);
        _harness.Client.Calls[nameof(IGitHubActionsClient.DispatchWorkflowAsync)].Should().Be(1);
        (await _harness.Store.QueueItems.GetAsync(first, CancellationToken.None))!.State.Should().Be(QueueItemState.Sent);
    }

    [Test]
    public async Task Dispatcher_AnotherExecution_IsAnotherDispatch()
    {
        var first = await _harness.Master.Dispatcher.StartAsync(Build, Request("01JEXEC1"), CancellationToken.None);
        var second = await _harness.Master.Dispatcher.StartAsync(Build, Request("01JEXEC2"), CancellationToken.None);

        second.Should().NotBe(first);
        _harness.Client.Calls[nameof(IGitHubActionsClient.DispatchWorkflowAsync)].Should().Be(2);
    }

    [Test]
    public async Task Dispatcher_GitHubRefuses_FailsAtOnceWithGitHubsStatus_AndARetryDoesNotSendAgain()
    {
        _harness.Client.Fail = member => member == nameof(IGitHubActionsClient.DispatchWorkflowAsync)
            ? new GitHubException(GitHubFailureKind.Refused, "GitHub refused the dispatch: Unexpected inputs provided", gitHubStatus: 422)
            : null;

        var act = () => _harness.Master.Dispatcher.StartAsync(Build, Request(), CancellationToken.None);

        (await act.Should().ThrowAsync<IgorException>()).Which.StatusCode.Should().Be(422);
        (await act.Should().ThrowAsync<IgorException>()).Which.Message.Should().Contain("Unexpected inputs");
        _harness.Client.Calls[nameof(IGitHubActionsClient.DispatchWorkflowAsync)].Should().Be(1, "a refused dispatch is never sent again");
    }

    [Test]
    public async Task Dispatcher_AnswerLost_IsNeverSentAgainOnAGuess()
    {
        // GitHub may have started the run: the item stays in Sending for recovery to look for the run.
        _harness.Client.Fail = member => member == nameof(IGitHubActionsClient.DispatchWorkflowAsync)
            ? new GitHubException(GitHubFailureKind.Transient, "GitHub did not answer the dispatch in time")
            : null;

        var queueId = await _harness.Master.Dispatcher.StartAsync(Build, Request(), CancellationToken.None);

        var item = await _harness.Store.QueueItems.GetAsync(queueId, CancellationToken.None);
        item!.State.Should().Be(QueueItemState.Sending);
        item.Error.Should().Contain("answer was lost");
        _harness.Client.Calls[nameof(IGitHubActionsClient.DispatchWorkflowAsync)].Should().Be(1);
    }

    [Test]
    public async Task Dispatcher_RateLimited_GivesTheClaimBackForARetry()
    {
        var limited = true;
        _harness.Client.Fail = member => member == nameof(IGitHubActionsClient.DispatchWorkflowAsync) && limited
            ? new GitHubException(GitHubFailureKind.RateLimited, "GitHub's rate limit is used up")
            : null;

        var act = () => _harness.Master.Dispatcher.StartAsync(Build, Request(), CancellationToken.None);
        (await act.Should().ThrowAsync<IgorException>()).Which.StatusCode.Should().Be(503, "Orca retries a 503");
        limited = false;
        var queueId = await _harness.Master.Dispatcher.StartAsync(Build, Request(), CancellationToken.None);

        (await _harness.Store.QueueItems.GetAsync(queueId, CancellationToken.None))!.State.Should().Be(QueueItemState.Sent);
        _harness.Client.Calls[nameof(IGitHubActionsClient.DispatchWorkflowAsync)].Should().Be(2, "a rate limit stops the request before GitHub acts on it");
    }

    [Test]
    public async Task CachingClient_RunPolls_ShareOneRead_UntilTheStatusCachePasses_OrACancel()
    {
        var fake = _harness.Client;
        fake.AddRun("acme/api", "build.yml", id: 90, number: 1, status: "in_progress", conclusion: null);
        var client = _harness.Master.Client;

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.GetRunAsync("acme", "api", 90, CancellationToken.None)));
        var afterBurst = fake.Calls[nameof(IGitHubActionsClient.GetRunAsync)];
        await client.CancelRunAsync("acme", "api", 90, force: false, CancellationToken.None);
        await client.GetRunAsync("acme", "api", 90, CancellationToken.None);
        var afterCancel = fake.Calls[nameof(IGitHubActionsClient.GetRunAsync)];
        _harness.Time.Advance(_harness.GitHub.StatusCacheDuration + TimeSpan.FromSeconds(1));
        await client.GetRunAsync("acme", "api", 90, CancellationToken.None);

        afterBurst.Should().Be(1);
        afterCancel.Should().Be(2, "a cancel forgets the run");
        fake.Calls[nameof(IGitHubActionsClient.GetRunAsync)].Should().Be(3);
    }

    [Test]
    public async Task CachingClient_FailedRead_IsNotCached()
    {
        var fail = true;
        _harness.Client.AddRun("acme/api", "build.yml", id: 91, number: 1);
        _harness.Client.Fail = member => member == nameof(IGitHubActionsClient.GetRunAsync) && fail
            ? new GitHubException(GitHubFailureKind.Transient, "GitHub answered 502")
            : null;

        var act = () => _harness.Master.Client.GetRunAsync("acme", "api", 91, CancellationToken.None);
        await act.Should().ThrowAsync<GitHubException>();
        fail = false;
        var run = await _harness.Master.Client.GetRunAsync("acme", "api", 91, CancellationToken.None);

        run.Id.Should().Be(91);
    }

    [Test]
    public async Task CachingClient_WorkflowListings_ExpireAndAreForgottenByARefresh()
    {
        var client = _harness.Master.Client;
        await client.ListWorkflowsAsync("acme", "api", CancellationToken.None);
        _harness.Time.Advance(_harness.GitHub.WorkflowCacheDuration + TimeSpan.FromSeconds(1));
        await client.ListWorkflowsAsync("acme", "api", CancellationToken.None);
        _harness.Master.Refresh();
        await client.ListWorkflowsAsync("acme", "api", CancellationToken.None);

        _harness.Client.Calls[nameof(IGitHubActionsClient.ListWorkflowsAsync)].Should().Be(3, "expired, then forgotten by a refresh");
    }
}
