using System.Net;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Igor;

/// <summary>The read API Deck (through Gate) and Fiat use, where a test only reads: one GitHub and service for the fixture.</summary>
[CancelAfter(120_000)]
public sealed class InfoApiReadTests : ScenarioTest
{
    protected override bool SharedByFixture => true;

    [TestCase("/masters")]
    [TestCase("/masters?type=jenkins")]
    [TestCase("/masters?type=JENKINS")]
    public async Task Masters_ListedForJenkinsType(string path)
    {
        var masters = await GetJsonAsync(path);

        masters.AsArray().Select(m => m!.GetValue<string>()).Should().Equal(GitHubScenario.Master);
    }
    [Test]
    public async Task Masters_OtherKnownType_ListsNone()
    {
        var masters = await GetJsonAsync("/masters?type=travis");

        masters.AsArray().Should().BeEmpty();
    }
    [Test]
    public async Task Masters_UnknownType_Answers400WithMessage()
    {
        var (status, body) = await GetWithStatusAsync("/masters?type=bamboo");

        status.Should().Be(HttpStatusCode.BadRequest);
        body["message"]!.GetValue<string>().Should().Contain("bamboo");
    }
    [Test]
    public async Task BuildServices_PublishPermissionsForFiat()
    {
        var services = await GetJsonAsync("/buildServices");

        services.ToJsonString().Should().Be(
            """[{"name":"github-actions","buildServiceProvider":"JENKINS","permissions":{"READ":["devs"],"WRITE":["releasers"]}}]""");
    }
    [Test]
    public async Task Jobs_ListEveryWorkflowOfEveryAllowedRepository_Sorted()
    {
        var jobs = await GetJsonAsync($"/jobs/{GitHubScenario.Master}");

        jobs.AsArray().Select(j => j!.GetValue<string>()).Should().Equal(
            "acme/api/build.yml", "acme/api/ci.yml", "acme/api/deploy.yml", "acme/api/release.yml", "acme/web/pages.yml");
    }
    [Test]
    public async Task Jobs_UnknownMaster_Answers404WithMessage()
    {
        var (status, body) = await GetWithStatusAsync("/jobs/nope");

        status.Should().Be(HttpStatusCode.NotFound);
        body["message"]!.GetValue<string>().Should().Contain("nope").And.Contain(GitHubScenario.Master);
    }
    [Test]
    public async Task JobConfig_MapsEveryInputTypeToJenkinsParameters()
    {
        var config = await GetJsonAsync($"/jobs/{GitHubScenario.Master}/acme/api/deploy.yml");

        config["name"]!.GetValue<string>().Should().Be("acme/api/deploy.yml");
        config["buildable"]!.GetValue<bool>().Should().BeTrue();
        config["url"]!.GetValue<string>().Should().EndWith("/acme/api/actions/workflows/deploy.yml");
        var parameters = config["parameterDefinitionList"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!.AsObject());
        parameters.Keys.Should().Equal("environment", "dry_run", "version", "replicas", "target", "github.ref");
        parameters["environment"]["type"]!.GetValue<string>().Should().Be("ChoiceParameterDefinition");
        parameters["environment"]["choices"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("staging", "production");
        parameters["environment"]["defaultValue"]!.GetValue<string>().Should().Be("staging");
        parameters["dry_run"]["type"]!.GetValue<string>().Should().Be("BooleanParameterDefinition");
        parameters["dry_run"]["defaultValue"]!.GetValue<string>().Should().Be("false");
        parameters["version"]["type"]!.GetValue<string>().Should().Be("StringParameterDefinition");
        parameters["version"]["description"]!.GetValue<string>().Should().Contain("(required)");
        parameters["version"]["defaultValue"].Should().BeNull();
        parameters["replicas"]["defaultValue"]!.GetValue<string>().Should().Be("2");
        parameters["github.ref"]["defaultValue"]!.GetValue<string>().Should().Be("main");
    }
    [Test]
    public async Task JobConfig_EncodedSlashInsideOneSegment_Answers400()
    {
        var (status, body) = await GetWithStatusAsync($"/jobs/{GitHubScenario.Master}/acme%2Fapi/deploy.yml");

        status.Should().Be(HttpStatusCode.BadRequest);
        body["message"]!.GetValue<string>().Should().NotBeEmpty();
        Scenario.GitHub.Requests.Should().NotContain(r => r.Path.Contains("%2F", StringComparison.OrdinalIgnoreCase));
    }
    [Test]
    public async Task JobConfig_UnknownWorkflow_Answers404()
    {
        var (status, body) = await GetWithStatusAsync($"/jobs/{GitHubScenario.Master}/acme/api/nope.yml");

        status.Should().Be(HttpStatusCode.NotFound);
        body["message"]!.GetValue<string>().Should().Contain("nope.yml");
    }
    [Test]
    public async Task Health_UpWhenGitHubAcceptsTheApp()
    {
        var health = await GetJsonAsync("/health");

        health["status"]!.GetValue<string>().Should().Be("UP");
    }
    [Test]
    public async Task InstalledPlugins_IsEmptyList()
    {
        var plugins = await GetJsonAsync("/installedPlugins");

        plugins.AsArray().Should().BeEmpty();
    }
}
