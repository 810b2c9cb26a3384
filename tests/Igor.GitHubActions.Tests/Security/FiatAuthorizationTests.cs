using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>The masters' Fiat permissions enforced as Igor does (contract §3.5): READ to read, WRITE to start and stop.</summary>
[CancelAfter(120_000)]
public sealed class FiatAuthorizationTests : ScenarioTest
{
    private const string Deploy = "acme/api/deploy.yml";
    private const string Master = GitHubScenario.Master;
    private FakeFiat _fiat = null!;

    protected override async Task ConfigureAsync(GitHubScenario scenario)
    {
        _fiat = await FakeFiat.StartAsync();
        _fiat.Grant("releaser", Master, "READ", "WRITE").Grant("reader", Master, "READ").Grant("other", "another-master", "READ", "WRITE").Admin("root");
        scenario.Settings["Fiat:BaseUrl"] = _fiat.BaseAddress.ToString();
    }

    [TearDown]
    public async Task DisposeFixturesAsync()
    {
        await _fiat.DisposeAsync();
    }

    [TestCase("releaser", HttpStatusCode.OK)]
    [TestCase("root", HttpStatusCode.OK)]
    [TestCase("reader", HttpStatusCode.Forbidden)]
    [TestCase("other", HttpStatusCode.Forbidden)]
    [TestCase("stranger", HttpStatusCode.Forbidden)]
    [TestCase(null, HttpStatusCode.Forbidden)]
    public async Task StartBuild_ByUser_NeedsWrite(string? user, HttpStatusCode expected)
    {
        using var response = await SendAsync(HttpMethod.Put, $"masters/{Master}/jobs/{Deploy}?version=1", user, "\"1767225600000\"");

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        if (expected == HttpStatusCode.Forbidden)
        {
            var message = JsonNode.Parse(body)!["message"]!.GetValue<string>();
            message.Should().StartWith("access denied").And.Contain(Master);
            message.Should().Contain(user is null ? "X-SPINNAKER-USER" : user == "stranger" ? "Fiat does not know the user" : "no WRITE permission");
            Scenario.GitHub.Requests.Should().NotContain(r => r.Method == "POST", "a denied start never reaches GitHub");
        }
    }

    [Test]
    public async Task Denial_NamesTheRolesTheMasterGrants()
    {
        using var response = await SendAsync(HttpMethod.Put, $"masters/{Master}/jobs/{Deploy}", "reader", "\"1\"");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("roles: releasers");
    }

    [TestCase("reader", HttpStatusCode.Forbidden)]
    [TestCase(null, HttpStatusCode.Forbidden)]
    [TestCase("releaser", HttpStatusCode.OK)]
    public async Task StopBuild_ByUser_NeedsWrite(string? user, HttpStatusCode expected)
    {
        var queueId = await StartAsReleaserAsync();

        using var response = await SendAsync(HttpMethod.Put, $"masters/{Master}/jobs/stop/{queueId}/1?jobName={Uri.EscapeDataString(Deploy)}", user, "\"\"");

        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
    }

    [TestCase("jobs/" + Master)]
    [TestCase("jobs/" + Master + "/" + Deploy)]
    [TestCase("builds/all/" + Master + "/" + Deploy)]
    [TestCase("builds/queue/" + Master + "/1")]
    public async Task Reads_WithoutReadPermissionOrUser_Are403(string path)
    {
        using var other = await SendAsync(HttpMethod.Get, path, "other");
        using var anonymous = await SendAsync(HttpMethod.Get, path, null);
        using var reader = await SendAsync(HttpMethod.Get, path, "reader");

        other.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await other.Content.ReadAsStringAsync()).Should().Contain("no READ permission");
        anonymous.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        reader.StatusCode.Should().NotBe(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task EchoCallbacks_RunAsTheTriggersRunAsUser_WithoutOneTheyAreAnonymous()
    {
        var queueId = await StartAsReleaserAsync();
        using var asReader = new HttpClient { BaseAddress = Scenario.Service!.BaseAddress };
        asReader.DefaultRequestHeaders.Add("X-SPINNAKER-USER", "reader");
        var number = await new OrcaClient(asReader, Master).WaitForBuildNumberAsync(queueId);

        // Echo's BuildInfoService calls back as the trigger's runAsUser, or as anonymous (contract correction 3).
        using var status = await SendAsync(HttpMethod.Get, $"builds/status/{number}/{Master}/{Deploy}", "reader");
        using var artifacts = await SendAsync(HttpMethod.Get, $"builds/artifacts/{number}/{Master}?job={Uri.EscapeDataString(Deploy)}", "reader");
        using var anonymous = await SendAsync(HttpMethod.Get, $"builds/status/{number}/{Master}/{Deploy}", null);
        using var otherUser = await SendAsync(HttpMethod.Get, $"builds/status/{number}/{Master}/{Deploy}", "other");

        status.StatusCode.Should().Be(HttpStatusCode.OK, await status.Content.ReadAsStringAsync());
        artifacts.StatusCode.Should().Be(HttpStatusCode.OK);
        anonymous.StatusCode.Should().Be(HttpStatusCode.Forbidden, "as in Igor, a call naming no user is anonymous, who may not read a restricted master");
        (await anonymous.Content.ReadAsStringAsync()).Should().Contain("anonymous").And.Contain("runAsUser");
        otherUser.StatusCode.Should().Be(HttpStatusCode.Forbidden, "a named user still needs READ");
    }

    [TestCase("buildServices")]
    [TestCase("health")]
    public async Task Listings_WithoutUser_AreOpen(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _fiat.Reads.Should().BeEmpty("Fiat itself reads /buildServices, without a user");
    }

    [TestCase("masters", "reader", true)]
    [TestCase("masters?type=jenkins", "releaser", true)]
    [TestCase("masters", "other", false)]
    [TestCase("masters", null, false)]
    public async Task Masters_ListOnlyWhatTheCallerMayRead(string path, string? user, bool listed)
    {
        using var response = await SendAsync(HttpMethod.Get, path, user);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var masters = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(m => m!.GetValue<string>());
        if (listed)
        {
            masters.Should().Equal(Master);
        }
        else
        {
            masters.Should().BeEmpty("Igor's /masters is filtered by READ (InfoController @PostFilter)");
        }
    }

    [Test]
    public async Task Permissions_ReadTwice_AskFiatOnce()
    {
        using var first = await SendAsync(HttpMethod.Get, $"jobs/{Master}", "reader");
        using var second = await SendAsync(HttpMethod.Get, $"jobs/{Master}", "reader");

        second.StatusCode.Should().Be(HttpStatusCode.OK);
        _fiat.Reads.Should().Equal("reader");
    }

    [Test]
    public async Task Fiat_Failing_Is503AndFailsClosed()
    {
        _fiat.FailWith = 500;

        using var response = await SendAsync(HttpMethod.Put, $"masters/{Master}/jobs/{Deploy}", "releaser", "\"1\"");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Fiat answered 500");
        Scenario.GitHub.Requests.Should().NotContain(r => r.Method == "POST");
    }

    [TestCase("reader", HttpStatusCode.Forbidden)]
    [TestCase(null, HttpStatusCode.Forbidden)]
    [TestCase("releaser", HttpStatusCode.OK)]
    public async Task UpdateBuild_Patch_NeedsWrite(string? user, HttpStatusCode expected)
    {
        // Orca's backlink (PATCH .../update/{n}) writes to the build as a start or a stop does.
        using var response = await SendAsync(HttpMethod.Patch, $"masters/{Master}/jobs/{Deploy}/update/1", user, """{"description":"x"}""");

        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Fiat_SlowerThanItsTimeout_Is503AndFailsClosed_AFasterOneIsWaitedFor()
    {
        Scenario.Settings["Fiat:RequestTimeout"] = "00:00:01";
        await Scenario.RestartServiceAsync();
        _fiat.Delay = TimeSpan.FromSeconds(3);

        using var slow = await SendAsync(HttpMethod.Put, $"masters/{Master}/jobs/{Deploy}?version=1", "releaser", "\"1767225600000\"");

        slow.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await slow.Content.ReadAsStringAsync());
        (await slow.Content.ReadAsStringAsync()).Should().Contain("Fiat");
        Scenario.GitHub.Requests.Should().NotContain(r => r.Method == "POST", "no answer from Fiat is no permission");

        _fiat.Delay = TimeSpan.FromMilliseconds(300);
        using var answered = await SendAsync(HttpMethod.Put, $"masters/{Master}/jobs/{Deploy}?version=2", "releaser", "\"1767225600000\"");
        answered.StatusCode.Should().Be(HttpStatusCode.OK, await answered.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Fiat_Unreachable_Is503WithClearMessage()
    {
        Scenario.Settings["Fiat:BaseUrl"] = $"http://127.0.0.1:{ClosedPort()}/";
        Scenario.Settings["Fiat:RequestTimeout"] = "00:00:02";
        await Scenario.RestartServiceAsync();

        using var response = await SendAsync(HttpMethod.Get, $"jobs/{Master}", "reader");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Fiat could not be reached");
    }

    [Test]
    public async Task UserHeader_Malformed_Is400()
    {
        using var response = await SendAsync(HttpMethod.Get, $"jobs/{Master}", new string('u', 300));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        _fiat.Reads.Should().BeEmpty();
    }

    private async Task<string> StartAsReleaserAsync()
    {
        using var response = await SendAsync(HttpMethod.Put, $"masters/{Master}/jobs/{Deploy}?version=1", "releaser", "\"1767225600000\"");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return body;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? user, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Add("X-SPINNAKER-USER", user);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await Scenario.Client.SendAsync(request);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
