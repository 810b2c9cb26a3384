using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.State;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Igor.GitHubActions.Tests.Deployments;

/// <summary>Echo's pipeline events replayed over HTTP; the deployment statuses checked where GitHub (the simulator) received them.</summary>
[CancelAfter(120_000)]
public sealed class DeploymentStatusTests : ScenarioTest
{
    private const string DeckUrl = "https://spinnaker.example.com";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private SimulatedDeployment _deployment = null!;
    private EchoEvents _events = null!;

    protected override Task ConfigureAsync(GitHubScenario scenario)
    {
        scenario.Settings["Spinnaker:DeckUrl"] = DeckUrl + "/";
        scenario.Settings["Deployments:RetryDelay"] = "00:00:00.050";
        scenario.Settings["Deployments:MaxRetryDelay"] = "00:00:00.200";
        scenario.Settings["Deployments:PollInterval"] = "00:00:00.100";
        return Task.CompletedTask;
    }

    [SetUp]
    public void SetUpFixture()
    {
        _deployment = Scenario.Api.CreateDeployment("main", "production");
        _events = new EchoEvents(Scenario.Client) { TriggerPayload = EchoEvents.DeploymentPayload(_deployment.Id) };
    }

    [Test]
    public async Task StartingThenComplete_WritesInProgressThenSuccess_WithDeckLinkAndDescription()
    {
        using var starting = await _events.StartingAsync();
        await WaitForStateAsync("in_progress");
        using var complete = await _events.CompleteAsync();
        await WaitForStateAsync("success");

        starting.StatusCode.Should().Be(HttpStatusCode.OK);
        complete.StatusCode.Should().Be(HttpStatusCode.OK);
        var statuses = _deployment.Statuses;
        statuses.Select(s => s.State).Should().Equal("in_progress", "success");
        statuses.Should().OnlyContain(s => s.LogUrl == $"{DeckUrl}/#/applications/acme/executions/details/{_events.ExecutionId}");
        statuses[0].Description.Should().Be("Spinnaker pipeline 'Deploy api' is running");
        statuses[1].Description.Should().Be("Spinnaker pipeline 'Deploy api' succeeded");
        statuses.Should().OnlyContain(s => s.EnvironmentUrl == "");
        var sent = Scenario.GitHub.Requests.Where(IsStatusPost).Select(r => JsonNode.Parse(r.Body)!).ToArray();
        sent.Should().OnlyContain(b => b["auto_inactive"]!.GetValue<bool>());
    }

    [Test]
    public async Task WrappedAndFlattenedEnvelopes_AreReadToo()
    {
        // Echo's rest.endpoints with wrap: true (and a custom fieldName), and with flatten: true.
        var wrapped = new JsonObject { ["eventName"] = "spinnaker_events", ["event"] = _events.Envelope("orca:pipeline:starting", "RUNNING") };
        var flat = _events.Envelope("orca:pipeline:complete", "SUCCEEDED", EchoEvents.StartTime + 60_000);
        flat["details"] = flat["details"]!.ToJsonString();
        flat["content"] = flat["content"]!.ToJsonString();

        using var starting = await _events.PostAsync(wrapped);
        await WaitForStateAsync("in_progress");
        using var complete = await _events.PostAsync(new JsonObject { ["eventName"] = "spinnaker_events", ["payload"] = flat });
        await WaitForStateAsync("success");

        _deployment.Statuses.Select(s => s.State).Should().Equal("in_progress", "success");
    }

    [TestCase("TERMINAL", "failure", "failed")]
    [TestCase("STOPPED", "failure", "failed")]
    [TestCase("CANCELED", "error", "was canceled")]
    public async Task FailedEvent_WritesItsMappedState(string executionStatus, string state, string words)
    {
        using var starting = await _events.StartingAsync();
        using var failed = await _events.FailedAsync(executionStatus);
        await WaitForStateAsync(state);

        _deployment.Statuses.Select(s => s.State).Should().Equal("in_progress", state);
        _deployment.Statuses[^1].Description.Should().Be($"Spinnaker pipeline 'Deploy api' {words}");
    }

    [Test]
    public async Task RepeatedEvents_WriteEachStateOnce()
    {
        var filed = new List<int>();
        foreach (var post in new Func<Task<HttpResponseMessage>>[] { _events.StartingAsync, _events.StartingAsync, () => _events.CompleteAsync(), () => _events.CompleteAsync(), _events.StartingAsync, () => _events.CompleteAsync() })
        {
            using var response = await post();
            filed.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["statuses"]!.GetValue<int>());
        }

        await WaitForStateAsync("success");
        await WaitForOutboxDoneAsync();

        filed.Should().Equal(1, 0, 1, 0, 0, 0);
        _deployment.Statuses.Select(s => s.State).Should().Equal("in_progress", "success");
        Scenario.GitHub.Requests.Count(IsStatusPost).Should().Be(2);
    }

    [Test]
    public async Task OutOfOrderEvents_StillWriteInProgressFirst_AndStaleEventsAreIgnored()
    {
        using var complete = await _events.CompleteAsync(endTime: EchoEvents.StartTime + 90_000);
        using var lateStart = await _events.StartingAsync();
        using var staleFailure = await _events.FailedAsync(endTime: EchoEvents.StartTime + 30_000);
        await WaitForStateAsync("success");
        await WaitForOutboxDoneAsync();

        _deployment.Statuses.Select(s => s.State).Should().Equal("in_progress", "success");
    }

    [Test]
    public async Task RestartedPipeline_FailureThenLaterSuccess_WritesBothInOrder()
    {
        using var failed = await _events.FailedAsync(endTime: EchoEvents.StartTime + 30_000);
        await WaitForStateAsync("failure");
        using var complete = await _events.CompleteAsync(endTime: EchoEvents.StartTime + 90_000);
        await WaitForStateAsync("success");

        _deployment.Statuses.Select(s => s.State).Should().Equal("in_progress", "failure", "success");
    }

    [Test]
    public async Task RestartedTwice_FailureSuccessFailure_GitHubShowsTheLatestOutcome()
    {
        using var failed = await _events.FailedAsync(endTime: EchoEvents.StartTime + 30_000);
        await WaitForStateAsync("failure");
        using var complete = await _events.CompleteAsync(endTime: EchoEvents.StartTime + 90_000);
        await WaitForStateAsync("success");
        using var failedAgain = await _events.FailedAsync(endTime: EchoEvents.StartTime + 150_000);
        await Poll.UntilAsync(() => _deployment.Statuses.Count == 4, Timeout);
        using var repeated = await _events.FailedAsync(endTime: EchoEvents.StartTime + 150_000);
        await WaitForOutboxDoneAsync();

        _deployment.Statuses.Select(s => s.State).Should().Equal(["in_progress", "failure", "success", "failure"], "the latest attempt failed");
        JsonNode.Parse(await repeated.Content.ReadAsStringAsync())!["statuses"]!.GetValue<int>().Should().Be(0, "the same event again files nothing");
    }

    [Test]
    public async Task GitHubErrorsAndRestart_StatusesAreRetriedAndSentOnceInOrder()
    {
        var path = $"/repos/acme/api/deployments/{_deployment.Id}/statuses";
        Scenario.GitHub.Faults.FailNext("POST", path, times: 3, statusCode: 502);
        using var starting = await _events.StartingAsync();
        using var complete = await _events.CompleteAsync();
        await Scenario.GitHub.WaitForRequestAsync(r => IsStatusPost(r) && r.StatusCode == 502, Timeout);

        await Scenario.RestartServiceAsync();
        _events = new EchoEvents(Scenario.Client) { ExecutionId = _events.ExecutionId, TriggerPayload = _events.TriggerPayload };
        using var repeated = await _events.CompleteAsync();
        await WaitForStateAsync("success");
        await WaitForOutboxDoneAsync();

        _deployment.Statuses.Select(s => s.State).Should().Equal("in_progress", "success");
        Scenario.GitHub.Requests.Count(r => IsStatusPost(r) && r.StatusCode == 201).Should().Be(2);
    }

    [TestCase(502)]
    [TestCase(504)]
    public async Task StatusWrittenButItsAnswerLost_IsNotWrittenAgain(int lostWith)
    {
        // GitHub wrote the status, then the answer was lost: the retry finds it as the deployment's newest status.
        var path = $"/repos/acme/api/deployments/{_deployment.Id}/statuses";
        Scenario.GitHub.Faults.FailAfterNext("POST", path, lostWith);
        using var starting = await _events.StartingAsync();
        await Scenario.GitHub.WaitForRequestAsync(r => IsStatusPost(r) && r.StatusCode == lostWith, Timeout);
        await WaitForOutboxDoneAsync();

        using var complete = await _events.CompleteAsync();
        await WaitForStateAsync("success");
        await WaitForOutboxDoneAsync();

        _deployment.Statuses.Select(s => s.State).Should().Equal(["in_progress", "success"], "each status is written once");
        Scenario.Service!.AllLogText().Should().Contain("was found written by an attempt whose answer was lost");
    }

    [Test]
    public async Task GitHubKeepsFailing_TheStatusIsGivenUpAfterMaxAttempts_AndTheNextOneStillGoes()
    {
        Scenario.Settings["Deployments:MaxAttempts"] = "3";
        await Scenario.RestartServiceAsync();
        _events = new EchoEvents(Scenario.Client) { ExecutionId = _events.ExecutionId, TriggerPayload = _events.TriggerPayload };
        var path = $"/repos/acme/api/deployments/{_deployment.Id}/statuses";
        Scenario.GitHub.Faults.FailNext("POST", path, times: 3, statusCode: 503);

        using var starting = await _events.StartingAsync();
        await WaitForOutboxDoneAsync();
        using var complete = await _events.CompleteAsync();
        await WaitForStateAsync("success");
        await WaitForOutboxDoneAsync();

        var outcomes = await Store().DeploymentStatuses.ListGroupAsync(_events.ExecutionId, CancellationToken.None);
        outcomes.Select(s => s.Outcome).Should().Equal("abandoned", "sent");
        Scenario.GitHub.Requests.Count(r => IsStatusPost(r) && r.Body.Contains("in_progress", StringComparison.Ordinal)).Should().Be(3, "MaxAttempts tries, no more");
        _deployment.Statuses.Select(s => s.State).Should().Equal("success");
        Scenario.Service!.AllLogText().Should().Contain("given up after 3 attempts");
    }

    [Test]
    public async Task AppWithoutDeploymentsWrite_TheStatusIsRefusedNamingThePermission_NotRetried()
    {
        Scenario.GitHub.Faults.RefusePermissionNext("POST", $"/repos/acme/api/deployments/{_deployment.Id}/statuses", "deployments=write", times: 10);

        using var starting = await _events.StartingAsync();
        await Scenario.GitHub.WaitForRequestAsync(r => IsStatusPost(r) && r.StatusCode == 403, Timeout);
        await WaitForOutboxDoneAsync();

        var outcomes = await Store().DeploymentStatuses.ListGroupAsync(_events.ExecutionId, CancellationToken.None);
        outcomes.Single().Outcome.Should().Be("refused");
        outcomes.Single().LastError.Should().Contain("deployments=write");
        Scenario.GitHub.Requests.Count(IsStatusPost).Should().Be(1, "a refusal only an operator can fix is not retried");
    }

    [Test]
    public async Task DeletedDeployment_StatusesAreRefusedLoggedAndNotRetried()
    {
        _deployment.Delete();
        using var starting = await _events.StartingAsync();
        using var complete = await _events.CompleteAsync();
        await Scenario.GitHub.WaitForRequestAsync(r => IsStatusPost(r) && r.Body.Contains("\"success\"", StringComparison.Ordinal), Timeout);
        await WaitForOutboxDoneAsync();

        var sent = await Store().DeploymentStatuses.ListGroupAsync(_events.ExecutionId, CancellationToken.None);
        sent.Select(s => s.Outcome).Should().Equal("refused", "refused");
        sent.Should().OnlyContain(s => s.LastError!.Contains("404", StringComparison.Ordinal));
        Scenario.GitHub.Requests.Count(IsStatusPost).Should().Be(2, "a refused status is not retried");
        Scenario.Service!.AllLogText().Should().Contain("GitHub refused deployment status success");
    }

    [Test]
    public async Task EnvironmentUrlFromParameterOrStageOutput_IsWritten()
    {
        _events.Parameters = new JsonObject { ["environment_url"] = "https://staging.example.com" };
        _events.Stages = [new JsonObject { ["type"] = "jenkins", ["outputs"] = new JsonObject { ["environment_url"] = "https://api.example.com" } }];

        using var complete = await _events.CompleteAsync();
        await WaitForStateAsync("success");

        _deployment.Statuses.Select(s => s.EnvironmentUrl).Should().Equal("https://api.example.com", "https://api.example.com");
    }

    [Test]
    public async Task LongPipelineName_DescriptionFitsGitHubsLimit()
    {
        _events.Pipeline = new string('p', 300);
        using var complete = await _events.FailedAsync("CANCELED");
        await WaitForStateAsync("error");

        // Both descriptions are cut to GitHub's 140 characters, each ending with its own outcome.
        var statuses = _deployment.Statuses;
        statuses.Select(s => s.State).Should().Equal("in_progress", "error");
        statuses.Should().OnlyContain(s => s.Description.Length <= 140);
        statuses[0].Description.Should().EndWith("' is running");
        statuses[1].Description.Should().EndWith("' was canceled");
    }

    [Test]
    public async Task ParametersOnly_TriggerFromAnotherSource_IsFollowedToo()
    {
        _events.TriggerPayload = [];
        _events.Parameters = new JsonObject { ["repository"] = "acme/api", ["deployment_id"] = _deployment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        using var complete = await _events.PostAsync(_events.Envelope("orca:pipeline:complete", "SUCCEEDED", EchoEvents.StartTime + 1, source: "manual"));
        await WaitForStateAsync("success");

        _deployment.Statuses.Select(s => s.State).Should().Equal("in_progress", "success");
    }

    [TestCase("orca:stage:complete")]
    [TestCase("orca:orchestration:complete")]
    [TestCase("build")]
    public async Task OtherEvents_AreAcceptedAndIgnored(string type)
    {
        using var response = await _events.PostAsync(_events.Envelope(type, "SUCCEEDED", EchoEvents.StartTime + 1));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accepted"]!.GetValue<bool>().Should().BeFalse();
        (await Store().DeploymentStatuses.ListGroupAsync(_events.ExecutionId, CancellationToken.None)).Should().BeEmpty();
    }

    [Test]
    public async Task PipelineNotStartedByADeployment_IsIgnored()
    {
        _events.TriggerPayload = [];
        using var response = await _events.CompleteAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accepted"]!.GetValue<bool>().Should().BeFalse();
    }

    [Test]
    public async Task RepositoryOutsideTheAllowlist_WritesNothing()
    {
        _events.TriggerPayload = EchoEvents.DeploymentPayload(_deployment.Id, "other/repo");
        using var response = await _events.CompleteAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Store().DeploymentStatuses.ListGroupAsync(_events.ExecutionId, CancellationToken.None)).Should().BeEmpty();
    }

    [TestCase("{not json")]
    [TestCase("[1,2]")]
    public async Task MalformedBody_Answers400(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "echo/events") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Igor-Events-Secret", GitHubScenario.EventsSecret);
        using var response = await Scenario.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task OversizedBody_Answers400NamingTheLimit()
    {
        Scenario.Settings["Deployments:MaxEventBytes"] = "2048";
        await Scenario.RestartServiceAsync();
        _events = new EchoEvents(Scenario.Client) { TriggerPayload = EchoEvents.DeploymentPayload(_deployment.Id), Pipeline = new string('x', 4000) };

        using var response = await _events.StartingAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Deployments:MaxEventBytes");
    }

    [Test]
    public async Task SharedSecretNotConfigured_TheRouteIsOff_403NamingTheKey_NothingWritten()
    {
        Scenario.Settings["Deployments:EventsSecret"] = "";
        await Scenario.RestartServiceAsync();
        _events = new EchoEvents(Scenario.Client) { TriggerPayload = EchoEvents.DeploymentPayload(_deployment.Id), Secret = null };

        using var forged = await _events.CompleteAsync();

        forged.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await forged.Content.ReadAsStringAsync()).Should().Contain("Deployments:EventsSecret");
        await WaitForOutboxDoneAsync();
        _deployment.Statuses.Should().BeEmpty("a forged event must not write success on a deployment");
    }

    [Test]
    public async Task SharedSecret_WhenConfigured_IsRequired()
    {
        Scenario.Settings["Deployments:EventsSecret"] = "s3cret-for-echo";
        await Scenario.RestartServiceAsync();
        _events = new EchoEvents(Scenario.Client) { TriggerPayload = EchoEvents.DeploymentPayload(_deployment.Id), Secret = null };
        var envelope = _events.Envelope("orca:pipeline:starting", "RUNNING");

        using var missing = await _events.PostAsync(envelope);
        using var wrong = await _events.PostAsync(envelope, "X-Igor-Events-Secret", "nope");
        using var right = await _events.PostAsync(envelope, "X-Igor-Events-Secret", "s3cret-for-echo");

        missing.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        right.StatusCode.Should().Be(HttpStatusCode.OK);
        Scenario.Service!.AllLogText().Should().NotContain("s3cret-for-echo");
    }

    [Test]
    public async Task DeploymentCreatedOnGitHub_TriggerBodyFromEcho_DrivesTheStatuses()
    {
        await using var echo = await FakeEcho.StartAsync();
        await Scenario.ConnectWebhooksAsync(echo);
        var deployment = Scenario.Api.CreateDeployment("main", "staging");
        await Scenario.GitHub.Webhooks.DeliverAsync("deployment", Scenario.GitHub.Webhooks.DeploymentPayload(deployment));
        var trigger = await echo.WaitForAsync(r => r.Path == "/webhooks/webhook/github-deployment");

        // Echo's webhook trigger carries the whole body as payload and its parameters as the pipeline's parameters.
        var events = new EchoEvents(Scenario.Client) { TriggerPayload = trigger.Body.AsObject(), Parameters = trigger.Body["parameters"]!.AsObject() };
        using var starting = await events.StartingAsync();
        using var complete = await events.CompleteAsync();
        await WaitForStateAsync("success", deployment.Id);

        deployment.Statuses.Select(s => s.State).Should().Equal("in_progress", "success");
    }

    private static bool IsStatusPost(RecordedRequest request) =>
        request.Method == "POST" && request.ApiPath.StartsWith("/repos/acme/api/deployments/", StringComparison.Ordinal) && request.ApiPath.EndsWith("/statuses", StringComparison.Ordinal);

    private Task<RecordedRequest> WaitForStateAsync(string state, long? deploymentId = null) =>
        Scenario.GitHub.WaitForRequestAsync(
            r => IsStatusPost(r) && r.StatusCode == 201 && r.ApiPath.Contains($"/{deploymentId ?? _deployment.Id}/", StringComparison.Ordinal) &&
                 JsonNode.Parse(r.Body)!["state"]!.GetValue<string>() == state,
            Timeout);

    private IStateStore Store() => Scenario.Service!.Services.GetRequiredService<IStateStore>();

    /// <summary>Waits until every status filed for the execution is done (sent or refused), polling the store: there is no push for "nothing more".</summary>
    private async Task WaitForOutboxDoneAsync()
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while ((await Store().DeploymentStatuses.ListGroupAsync(_events.ExecutionId, CancellationToken.None)).Any(s => s.Outcome is null))
        {
            if (elapsed.Elapsed > Timeout)
            {
                throw new TimeoutException("deployment statuses still pending");
            }

            await Task.Delay(20);
        }
    }
}
