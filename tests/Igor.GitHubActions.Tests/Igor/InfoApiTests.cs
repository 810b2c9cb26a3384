using System.Net;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Igor;

/// <summary>The read API Deck (through Gate) and Fiat use, over real HTTP against the GitHub simulator.</summary>
[CancelAfter(120_000)]
public sealed class InfoApiTests
{
    private GitHubScenario _scenario = null!;

    [SetUp]
    public async Task SetUp() => _scenario = await GitHubScenario.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _scenario.DisposeAsync();

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
        var (status, body) = await GetAsync("/masters?type=bamboo");

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
    public async Task Jobs_OwnerWildcard_ListsEveryRepositoryTheAppIsInstalledOn()
    {
        _scenario.GitHub.AddRepository("acme", "tools").AddWorkflow("lint.yml", SampleWorkflows.Build);
        _scenario.GitHub.AddRepository("other", "thing").AddWorkflow("x.yml", SampleWorkflows.Build);
        _scenario.Settings["GitHub:Masters:0:Repositories:0"] = "acme/*";
        _scenario.Settings["GitHub:Masters:0:Repositories:1"] = "acme/web";
        await _scenario.RestartServiceAsync();

        var jobs = await GetJsonAsync($"/jobs/{GitHubScenario.Master}");

        jobs.AsArray().Select(j => j!.GetValue<string>()).Should().Contain("acme/tools/lint.yml")
            .And.Contain("acme/web/pages.yml").And.NotContain(j => j.StartsWith("other/", StringComparison.Ordinal));
    }

    [Test]
    public async Task Jobs_UnknownMaster_Answers404WithMessage()
    {
        var (status, body) = await GetAsync("/jobs/nope");

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
    public async Task JobConfig_RepositoryDispatchWorkflow_ListsClientPayloadKeys()
    {
        var config = await GetJsonAsync($"/jobs/{GitHubScenario.Master}/acme/api/release.yml");

        config["parameterDefinitionList"]!.AsArray().Select(p => p!["name"]!.GetValue<string>())
            .Should().Equal("channel", "version", "github.event_type");
    }

    [Test]
    public async Task JobConfig_WorkflowWithoutDispatchTrigger_IsNotBuildable()
    {
        var config = await GetJsonAsync($"/jobs/{GitHubScenario.Master}/acme/api/ci.yml");

        config["buildable"]!.GetValue<bool>().Should().BeFalse();
        config["parameterDefinitionList"]!.AsArray().Should().BeEmpty();
    }

    [Test]
    public async Task JobConfig_EncodedSpacesInWorkflowName_AreDecoded()
    {
        _scenario.Api.AddWorkflow("deploy prod.yml", SampleWorkflows.Build);

        var config = await GetJsonAsync($"/jobs/{GitHubScenario.Master}/{OrcaClient.PathForm("acme/api/deploy prod.yml")}");

        config["name"]!.GetValue<string>().Should().Be("acme/api/deploy prod.yml");
    }

    [Test]
    public async Task JobConfig_EncodedSlashInsideOneSegment_Answers400()
    {
        var (status, body) = await GetAsync($"/jobs/{GitHubScenario.Master}/acme%2Fapi/deploy.yml");

        status.Should().Be(HttpStatusCode.BadRequest);
        body["message"]!.GetValue<string>().Should().NotBeEmpty();
        _scenario.GitHub.Requests.Should().NotContain(r => r.Path.Contains("%2F", StringComparison.OrdinalIgnoreCase));
    }

    [Test]
    public async Task JobConfig_RepositoryOutsideAllowlist_Answers404()
    {
        _scenario.GitHub.AddRepository("acme", "secret").AddWorkflow("deploy.yml", SampleWorkflows.Build);

        var (status, body) = await GetAsync($"/jobs/{GitHubScenario.Master}/acme/secret/deploy.yml");

        status.Should().Be(HttpStatusCode.NotFound);
        body["message"]!.GetValue<string>().Should().Contain("allowlist");
    }

    [Test]
    public async Task JobConfig_UnknownWorkflow_Answers404()
    {
        var (status, body) = await GetAsync($"/jobs/{GitHubScenario.Master}/acme/api/nope.yml");

        status.Should().Be(HttpStatusCode.NotFound);
        body["message"]!.GetValue<string>().Should().Contain("nope.yml");
    }

    [Test]
    public async Task JobConfig_MalformedYaml_Answers422NamingTheLine()
    {
        _scenario.Api.AddWorkflow("broken.yml", SampleWorkflows.Malformed);

        var (status, body) = await GetAsync($"/jobs/{GitHubScenario.Master}/acme/api/broken.yml");

        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        body["message"]!.GetValue<string>().Should().Contain("line");
    }

    [Test]
    public async Task JobConfig_AppNotInstalledOnRepository_AnswersClearError()
    {
        var other = _scenario.GitHub.AddRepository("globex", "api");
        other.AddWorkflow("deploy.yml", SampleWorkflows.Build);
        _scenario.Settings["GitHub:Masters:0:Repositories:2"] = "globex/api";
        await _scenario.RestartServiceAsync();

        var (status, body) = await GetAsync($"/jobs/{GitHubScenario.Master}/globex/api/deploy.yml");

        status.Should().Be(HttpStatusCode.Conflict);
        body["message"]!.GetValue<string>().Should().Contain("not installed on globex/api");
        var jobs = await GetJsonAsync($"/jobs/{GitHubScenario.Master}");
        jobs.AsArray().Should().NotBeEmpty("one repository without the App must not hide the others");
    }

    [Test]
    public async Task JobListing_IsCached_AndRefreshedWithConditionalRequests()
    {
        _scenario.Settings["GitHub:WorkflowCacheDuration"] = "00:00:00";
        await _scenario.RestartServiceAsync();
        await GetJsonAsync($"/jobs/{GitHubScenario.Master}");
        _scenario.GitHub.ClearRequests();

        await GetJsonAsync($"/jobs/{GitHubScenario.Master}");

        var listings = _scenario.GitHub.Requests.Where(r => r.Path.EndsWith("/actions/workflows", StringComparison.Ordinal)).ToArray();
        listings.Should().NotBeEmpty();
        listings.Should().OnlyContain(r => r.Headers.ContainsKey("If-None-Match") && r.StatusCode == 304);
    }

    [Test]
    public async Task JobListing_WithinCacheDuration_AsksGitHubOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => GetJsonAsync($"/jobs/{GitHubScenario.Master}")));
        await GetJsonAsync($"/jobs/{GitHubScenario.Master}");

        _scenario.GitHub.Requests.Count(r => r.Path == "/repos/acme/api/actions/workflows").Should().Be(1);
    }

    [Test]
    public async Task GitHubCalls_CarryApiVersionAndShareOneInstallationToken()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => GetJsonAsync($"/jobs/{GitHubScenario.Master}/acme/api/deploy.yml")));
        await GetJsonAsync($"/jobs/{GitHubScenario.Master}/acme/web/pages.yml");

        _scenario.GitHub.Requests.Should().OnlyContain(r => r.Headers.ContainsKey("X-GitHub-Api-Version"));
        _scenario.GitHub.Requests.Count(r => r.Path.EndsWith("/access_tokens", StringComparison.Ordinal)).Should().Be(1);
    }

    [Test]
    public async Task GitHubServerErrors_AreRetried_ForReads()
    {
        _scenario.GitHub.Faults.FailNext("GET", "/repos/acme/api/contents", 2, 502);

        var config = await GetJsonAsync($"/jobs/{GitHubScenario.Master}/acme/api/build.yml");

        config["name"]!.GetValue<string>().Should().Be("acme/api/build.yml");
    }

    [Test]
    public async Task GitHubDown_Answers503WithMessage()
    {
        _scenario.GitHub.Faults.FailNext("GET", "/repos/acme/api/actions/workflows", 20, 503);

        var (status, body) = await GetAsync($"/jobs/{GitHubScenario.Master}/acme/api/build.yml");

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body["message"]!.GetValue<string>().Should().Contain("503");
    }

    [Test]
    public async Task Health_UpWhenGitHubAcceptsTheApp()
    {
        var health = await GetJsonAsync("/health");

        health["status"]!.GetValue<string>().Should().Be("UP");
    }

    [Test]
    public async Task Health_DownWithReason_WhenGitHubRejectsTheKey()
    {
        using var otherKey = System.Security.Cryptography.RSA.Create(2048);
        _scenario.Settings["GitHub:Masters:0:PrivateKey"] = otherKey.ExportRSAPrivateKeyPem();
        await _scenario.RestartServiceAsync();

        var (status, body) = await GetAsync("/health");

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body["status"]!.GetValue<string>().Should().Be("DOWN");
        body["details"]![GitHubScenario.Master]!.GetValue<string>().Should().Contain("credentials");
        _scenario.Service!.AllLogText().Should().NotContain("PRIVATE KEY");
    }

    [Test]
    public async Task InstalledPlugins_IsEmptyList()
    {
        var plugins = await GetJsonAsync("/installedPlugins");

        plugins.AsArray().Should().BeEmpty();
    }

    [Test]
    public async Task Secrets_NeverAppearInLogsOrBodies()
    {
        await GetAsync($"/jobs/{GitHubScenario.Master}/acme/api/deploy.yml");
        await GetAsync("/health");
        await GetAsync($"/jobs/{GitHubScenario.Master}/acme/api/nope.yml");

        var logs = _scenario.Service!.AllLogText();
        foreach (var token in _scenario.App.IssuedTokens)
        {
            logs.Should().NotContain(token);
        }

        logs.Should().NotContain("BEGIN RSA PRIVATE KEY").And.NotContain("BEGIN PRIVATE KEY");
    }

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        var (status, body) = await GetAsync(path);
        status.Should().Be(HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string path)
    {
        using var response = await _scenario.Client.GetAsync(path.TrimStart('/'));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!);
    }
}
