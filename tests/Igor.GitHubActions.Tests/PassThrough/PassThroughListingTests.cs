using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Igor.GitHubActions.PassThrough;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Igor.GitHubActions.Tests.PassThrough;

/// <summary>Merged listings, the master-name clash check and the degraded mode when the existing Igor is down.</summary>
[CancelAfter(120_000)]
public sealed class PassThroughListingTests : ScenarioTest
{
    private FakeIgor _igor = null!;

    protected override bool StartsService => false;

    protected override async Task ConfigureAsync(GitHubScenario scenario)
    {
        _igor = await FakeIgor.StartAsync();
        _igor.Masters["jenkins"] = ["jenkins-ci", "old-jenkins"];
        _igor.Masters["travis"] = ["travis-ci"];

        scenario.Settings["Igor:PassThroughUrl"] = _igor.BaseAddress.ToString();
    }

    [TearDown]
    public async Task DisposeFixturesAsync()
    {
        await _igor.DisposeAsync();
    }

    [TestCase("/masters", new[] { "github-actions", "jenkins-ci", "old-jenkins", "travis-ci" })]
    [TestCase("/masters?type=jenkins", new[] { "github-actions", "jenkins-ci", "old-jenkins" })]
    [TestCase("/masters?type=TRAVIS", new[] { "travis-ci" })]
    public async Task Masters_MergedWithTheExistingIgors_ForTheSameType(string target, string[] expected)
    {
        await Scenario.StartServiceAsync();
        _igor.Clear();
        using var request = new HttpRequestMessage(HttpMethod.Get, target.TrimStart('/'));
        request.Headers.Add("X-SPINNAKER-USER", "alice@example.com");

        using var response = await Scenario.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues(MergedListings.StatusHeader).Should().Equal("UP");
        Names(JsonNode.Parse(await response.Content.ReadAsStringAsync())!).Should().Equal(expected);
        var asked = _igor.Received.Should().ContainSingle().Subject;
        asked.RawTarget.Should().Be(target);
        asked.Headers["X-SPINNAKER-USER"].Should().Be("alice@example.com");
    }

    [Test]
    public async Task BuildServices_MergedWithTheExistingIgors_ItsEntriesUnchanged()
    {
        _igor.BuildServicesJson = """[{"name":"jenkins-ci","buildServiceProvider":"JENKINS","permissions":{"READ":["ops"]},"extra":1}]""";
        await Scenario.StartServiceAsync();

        var body = await Scenario.Client.GetStringAsync("buildServices");

        body.Should().Be(
            """[{"name":"github-actions","buildServiceProvider":"JENKINS","permissions":{"READ":["devs"],"WRITE":["releasers"]}},""" +
            """{"name":"jenkins-ci","buildServiceProvider":"JENKINS","permissions":{"READ":["ops"]},"extra":1}]""");
    }

    [Test]
    public async Task Health_ReportsBothSides()
    {
        await Scenario.StartServiceAsync();

        var health = JsonNode.Parse(await Scenario.Client.GetStringAsync("health"))!;

        health["status"]!.GetValue<string>().Should().Be("UP");
        health["details"]![GitHubScenario.Master]!.GetValue<string>().Should().Be("UP");
        health["details"]!["igor"]!.GetValue<string>().Should().Be("UP");
    }

    [Test]
    public async Task IgorUnreachable_OurMastersKeepWorking_ListingsSayIgorIsMissing()
    {
        Scenario.Settings["Igor:PassThroughUrl"] = $"http://127.0.0.1:{ClosedPort()}/";
        await Scenario.StartServiceAsync();

        using var masters = await Scenario.Client.GetAsync("masters?type=jenkins");
        var services = JsonNode.Parse(await Scenario.Client.GetStringAsync("buildServices"))!;
        var health = JsonNode.Parse(await Scenario.Client.GetStringAsync("health"))!;
        var jobs = await Scenario.Client.GetStringAsync($"jobs/{GitHubScenario.Master}");
        using var foreign = await Scenario.Client.GetAsync("jobs/jenkins-ci");

        masters.StatusCode.Should().Be(HttpStatusCode.OK);
        Names(JsonNode.Parse(await masters.Content.ReadAsStringAsync())!).Should().Equal(GitHubScenario.Master);
        masters.Headers.GetValues(MergedListings.StatusHeader).Single().Should().StartWith("DOWN: the existing Igor is unreachable");
        services.AsArray().Select(s => s!["name"]!.GetValue<string>()).Should().Equal(GitHubScenario.Master);
        health["status"]!.GetValue<string>().Should().Be("UP");
        health["details"]!["igor"]!.GetValue<string>().Should().StartWith("DOWN: the existing Igor is unreachable");
        jobs.Should().Contain("acme/api/deploy.yml");
        foreign.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        Scenario.Service!.AllLogText().Should().Contain("could not be checked at start");
    }

    [Test]
    public async Task MasterOnBothSides_RefusedAtStart_NamingTheMasterAndTheKey()
    {
        _igor.Masters["jenkins"] = ["jenkins-ci", GitHubScenario.Master];

        var start = () => Scenario.StartServiceAsync();

        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message
            .Should().Contain($"'{GitHubScenario.Master}'").And.Contain("Igor:PassThroughUrl");
    }

    [Test]
    public async Task IgorDownAtStart_StartsAnyway_AndAClashFoundLaterIsReported()
    {
        _igor.Down = true;
        _igor.Masters["jenkins"] = [GitHubScenario.Master];
        Scenario.Settings["Igor:CheckInterval"] = "00:00:00.100";
        await Scenario.StartServiceAsync();
        var status = Scenario.Service!.Services.GetRequiredService<PassThroughStatus>();
        status.Problem.Should().Contain("503");

        _igor.Down = false;
        while (status.Clashes.Count == 0)
        {
            await status.Changed.WaitAsync(TimeSpan.FromSeconds(20));
        }

        var health = JsonNode.Parse(await Scenario.Client.GetStringAsync("health"))!;
        health["details"]!["igor"]!.GetValue<string>().Should().Contain(GitHubScenario.Master);
        Scenario.Service.Logs.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Error && r.Message.Contains("rename one"));
    }

    [TestCase("not a url")]
    [TestCase("ftp://igor:21/")]
    public async Task PassThroughUrl_Invalid_StopsStartNamingTheKey(string url)
    {
        Scenario.Settings["Igor:PassThroughUrl"] = url;

        var start = () => Scenario.StartServiceAsync();

        (await start.Should().ThrowAsync<Exception>()).Which.Message.Should().Contain("Igor:PassThroughUrl");
    }

    [Test]
    public async Task WithoutPassThrough_UnknownMaster_StillAnswers404()
    {
        Scenario.Settings.Remove("Igor:PassThroughUrl");
        await Scenario.StartServiceAsync();

        using var response = await Scenario.Client.GetAsync("jobs/jenkins-ci");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        _igor.Received.Should().BeEmpty();
    }

    private static string[] Names(JsonNode array) => array.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
