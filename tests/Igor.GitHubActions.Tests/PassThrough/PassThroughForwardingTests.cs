using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.PassThrough;

/// <summary>Requests for masters that are not ours, and Igor's other routes, reach the existing Igor byte for byte.</summary>
[CancelAfter(120_000)]
public sealed class PassThroughForwardingTests : ScenarioTest
{
    private const string Foreign = "jenkins-ci";
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private FakeIgor _igor = null!;

    /// <summary>The tests only forward requests; each starts from a cleared Igor, and the one that restarts restores the settings.</summary>
    protected override bool SharedByFixture => true;

    protected override async Task ConfigureAsync(GitHubScenario scenario)
    {
        _igor = await FakeIgor.StartAsync();
        scenario.Settings["Igor:PassThroughUrl"] = _igor.BaseAddress.ToString();
    }

    [SetUp]
    public void SetUpFixture()
    {
        _igor.Clear();
    }

    [OneTimeTearDown]
    public async Task DisposeFixturesAsync()
    {
        await _igor.DisposeAsync();
    }

    [Test]
    public async Task WithBearerTokensOn_TheServicesTokenIsRemovedBeforeForwarding()
    {
        // The token proves the caller to this service; the existing Igor never sees it (it is not Igor's credential).
        const string token = "pass-through-test-token-0123456789abcdef";
        Scenario.Settings["Security:BearerTokens:0"] = token;
        await Scenario.RestartServiceAsync();
        try
        {
            _igor.Clear();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Scenario.Service!.BaseAddress, "/jobs/jenkins-ci"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.TryAddWithoutValidation("X-SPINNAKER-USER", "alice@example.com");

            using var response = await Scenario.Client.SendAsync(request);

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var received = _igor.Received.Should().ContainSingle().Subject;
            received.Headers.ContainsKey("Authorization").Should().BeFalse("the service's bearer token stays with the service");
            received.Headers.Values.Should().NotContain(v => v.Contains(token, StringComparison.Ordinal));
            received.Headers["X-SPINNAKER-USER"].Should().Be("alice@example.com");
        }
        finally
        {
            // The fixture's other tests share this service: without the token again.
            Scenario.Settings.Remove("Security:BearerTokens:0");
            await Scenario.RestartServiceAsync();
        }
    }

    [TestCase("GET", "/builds/status/42/jenkins-ci/folder/job%20x%3Ay", null)]
    [TestCase("GET", "/builds/status/42/jenkins-ci?job=folder%2Fjob%2Fx%20y", null)]
    [TestCase("GET", "/jobs/jenkins-ci", null)]
    [TestCase("GET", "/jobs/jenkins-ci/folder/job/sub", null)]
    [TestCase("GET", "/builds/properties/42/build.properties/jenkins-ci?job=folder%2Fjob", null)]
    [TestCase("GET", "/builds/properties/42/build.properties/jenkins-ci/folder/job", null)]
    [TestCase("GET", "/builds/artifacts/42/jenkins-ci?job=folder%2Fjob&propertyFile=build.properties", null)]
    [TestCase("GET", "/builds/artifacts/42/jenkins-ci/folder/job?propertyFile=build.properties", null)]
    [TestCase("GET", "/builds/queue/jenkins-ci/123", null)]
    [TestCase("GET", "/builds/all/jenkins-ci/folder/job", null)]
    [TestCase("PUT", "/masters/jenkins-ci/jobs/stop/123/0?jobName=folder%2Fjob", "\"\"")]
    [TestCase("PUT", "/masters/jenkins-ci/jobs/folder/job/stop/123/42", "\"\"")]
    [TestCase("PATCH", "/masters/jenkins-ci/jobs/folder/job/update/42", """{"description":"This build was triggered by '<a href=\"https://spinnaker/#/x\">p</a>' in Spinnaker."}""")]
    public async Task ForeignMaster_EveryRouteAndJobForm_ForwardedUnchanged(string method, string target, string? body)
    {
        using var response = await SendAsync(method, target, body);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"from":"igor"}""");
        var received = _igor.Received.Should().ContainSingle().Subject;
        received.Method.Should().Be(method);
        received.RawTarget.Should().Be(target);
        received.Headers["X-SPINNAKER-USER"].Should().Be("alice@example.com");
        received.Headers["X-SPINNAKER-EXECUTION-ID"].Should().Be("01JEXECUTION");
        received.BodyText.Should().Be(body ?? "");
        if (body is not null)
        {
            received.Headers["Content-Type"].Should().Be("application/json; charset=UTF-8");
        }
    }

    [Test]
    public async Task StartBuild_ForeignMaster_JsonQuotedBodyAndParametersUnchanged_QueueIdBackAsText()
    {
        _igor.Answer = new FakeIgorAnswer(200, "text/plain", Encoding.UTF8.GetBytes("123"));
        const string target = "/masters/jenkins-ci/jobs/folder/job%20one?ENV=prod&DRY_RUN=false&NOTE=a%2Bb%20c";

        using var response = await SendAsync("PUT", target, "\"1767225600000\"");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await response.Content.ReadAsStringAsync()).Should().Be("123");
        var received = _igor.Received.Should().ContainSingle().Subject;
        received.RawTarget.Should().Be(target);
        received.Body.Should().Equal(Encoding.UTF8.GetBytes("\"1767225600000\""));
        received.Headers["Content-Length"].Should().Be("15");
    }

    [TestCase(202, "")]
    [TestCase(400, """{"status":400,"error":"Bad Request","message":"Job 'x' is not buildable"}""")]
    [TestCase(404, """{"status":404,"error":"Not Found","message":"Could not find build"}""")]
    [TestCase(500, """{"status":500,"message":"boom"}""")]
    [TestCase(503, "")]
    public async Task ForeignMaster_IgorStatusAndHeaders_PassedBackUnchanged(int status, string body)
    {
        _igor.Answer = new FakeIgorAnswer(status, "application/json", Encoding.UTF8.GetBytes(body), new() { ["X-Igor-Request"] = "r-1" });

        using var response = await SendAsync("GET", "/builds/status/7/jenkins-ci?job=a", null);

        ((int)response.StatusCode).Should().Be(status);
        response.Headers.GetValues("X-Igor-Request").Should().Equal("r-1");
        (await response.Content.ReadAsStringAsync()).Should().Be(body);
    }

    [Test]
    public async Task BinaryAnswer_IsStreamed_FirstBytesArriveBeforeIgorFinishes()
    {
        var firstHalf = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var secondHalf = firstHalf.Reverse().ToArray();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _igor.Handler = async context =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(firstHalf);
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await context.Response.Body.WriteAsync(secondHalf);
        };

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Scenario.Service!.BaseAddress, "artifacts/fetch/build.tar"));
        using var response = await Scenario.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var first = new byte[256];
        await stream.ReadExactlyAsync(first).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        release.SetResult();
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest);

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
        first.Should().Equal(firstHalf);
        rest.ToArray().Should().Equal(secondHalf);
    }

    [TestCase("GET", "/gcb/accounts")]
    [TestCase("GET", "/codebuild/accounts")]
    [TestCase("PUT", "/artifacts/github/names?x=1")]
    [TestCase("POST", "/admin/pollers/fastforward/jenkins-ci?job=a%2Fb")]
    [TestCase("GET", "/stash/PROJ/repo/compareCommits?to=abc&from=def&limit=100")]
    [TestCase("GET", "/installedPlugins")]
    [TestCase("GET", "/ci/builds?projectKey=PROJ&repoSlug=repo&completionStatus=SUCCESS")]
    [TestCase("GET", "/dockerRegistry/accounts")]
    public async Task NotAboutOurMasters_ForwardedWhole(string method, string target)
    {
        var body = method is "GET" ? null : "{\"k\":\"v\"}";

        using var response = await SendAsync(method, target, body);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var received = _igor.Received.Should().ContainSingle().Subject;
        (received.Method, received.RawTarget, received.BodyText).Should().Be((method, target, body ?? ""));
    }

    [Test]
    public async Task OurMaster_ServedHere_NeverForwarded()
    {
        using var jobs = await SendAsync("GET", $"/jobs/{GitHubScenario.Master}", null);
        using var properties = await SendAsync("GET", $"/builds/properties/1/build.properties/{GitHubScenario.Master}?job=acme%2Fapi%2Fdeploy.yml", null);

        jobs.StatusCode.Should().Be(HttpStatusCode.OK);
        (await jobs.Content.ReadAsStringAsync()).Should().Contain("acme/api/deploy.yml");
        properties.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await properties.Content.ReadAsStringAsync()).Should().Contain("has no build 1", "our master answers it, not the existing Igor");
        _igor.Received.Should().BeEmpty();
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string target, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Scenario.Service!.BaseAddress.AbsoluteUri.TrimEnd('/') + target, Verbatim));
        request.Headers.TryAddWithoutValidation("X-SPINNAKER-USER", "alice@example.com");
        request.Headers.TryAddWithoutValidation("X-SPINNAKER-EXECUTION-ID", "01JEXECUTION");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=UTF-8");
        }

        return await Scenario.Client.SendAsync(request);
    }
}
