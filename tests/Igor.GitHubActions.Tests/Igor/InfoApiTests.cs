using System.Net;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Igor;

/// <summary>The read API Deck (through Gate) and Fiat use, over real HTTP against the GitHub simulator.</summary>
[CancelAfter(120_000)]
public sealed class InfoApiTests : ScenarioTest
{

    [Test]
    public async Task Jobs_OwnerWildcard_ListsEveryRepositoryTheAppIsInstalledOn()
    {
        Scenario.GitHub.AddRepository("acme", "tools").AddWorkflow("lint.yml", SampleWorkflows.Build);
        Scenario.GitHub.AddRepository("other", "thing").AddWorkflow("x.yml", SampleWorkflows.Build);
        Scenario.Settings["GitHub:Masters:0:Repositories:0"] = "acme/*";
        Scenario.Settings["GitHub:Masters:0:Repositories:1"] = "acme/web";
        await Scenario.RestartServiceAsync();

        var jobs = await GetJsonAsync($"/jobs/{GitHubScenario.Master}");

        jobs.AsArray().Select(j => j!.GetValue<string>()).Should().Contain("acme/tools/lint.yml")
            .And.Contain("acme/web/pages.yml").And.NotContain(j => j.StartsWith("other/", StringComparison.Ordinal));
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
        Scenario.Api.AddWorkflow("deploy prod.yml", SampleWorkflows.Build);

        var config = await GetJsonAsync($"/jobs/{GitHubScenario.Master}/{OrcaClient.PathForm("acme/api/deploy prod.yml")}");

        config["name"]!.GetValue<string>().Should().Be("acme/api/deploy prod.yml");
    }

    [Test]
    public async Task JobConfig_RepositoryOutsideAllowlist_Answers404()
    {
        Scenario.GitHub.AddRepository("acme", "secret").AddWorkflow("deploy.yml", SampleWorkflows.Build);

        var (status, body) = await GetWithStatusAsync($"/jobs/{GitHubScenario.Master}/acme/secret/deploy.yml");

        status.Should().Be(HttpStatusCode.NotFound);
        body["message"]!.GetValue<string>().Should().Contain("allowlist");
    }

    [Test]
    public async Task JobConfig_MalformedYaml_Answers422NamingTheLine()
    {
        Scenario.Api.AddWorkflow("broken.yml", SampleWorkflows.Malformed);

        var (status, body) = await GetWithStatusAsync($"/jobs/{GitHubScenario.Master}/acme/api/broken.yml");

        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        body["message"]!.GetValue<string>().Should().Contain("line");
    }

    [Test]
    public async Task JobConfig_AppNotInstalledOnRepository_AnswersClearError()
    {
        var other = Scenario.GitHub.AddRepository("globex", "api");
        other.AddWorkflow("deploy.yml", SampleWorkflows.Build);
        Scenario.Settings["GitHub:Masters:0:Repositories:2"] = "globex/api";
        await Scenario.RestartServiceAsync();

        var (status, body) = await GetWithStatusAsync($"/jobs/{GitHubScenario.Master}/globex/api/deploy.yml");

        status.Should().Be(HttpStatusCode.Conflict);
        body["message"]!.GetValue<string>().Should().Contain("not installed on globex/api");
        var jobs = await GetJsonAsync($"/jobs/{GitHubScenario.Master}");
        jobs.AsArray().Should().NotBeEmpty("one repository without the App must not hide the others");
    }

    [Test]
    public async Task JobListing_IsCached_AndRefreshedWithConditionalRequests()
    {
        Scenario.Settings["GitHub:WorkflowCacheDuration"] = "00:00:00";
        await Scenario.RestartServiceAsync();
        await GetJsonAsync($"/jobs/{GitHubScenario.Master}");
        Scenario.GitHub.ClearRequests();

        await GetJsonAsync($"/jobs/{GitHubScenario.Master}");

        var listings = Scenario.GitHub.Requests.Where(r => r.Path.EndsWith("/actions/workflows", StringComparison.Ordinal)).ToArray();
        listings.Should().NotBeEmpty();
        listings.Should().OnlyContain(r => r.Headers.ContainsKey("If-None-Match") && r.StatusCode == 304);
    }

    [Test]
    public async Task JobListing_WithinCacheDuration_AsksGitHubOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => GetJsonAsync($"/jobs/{GitHubScenario.Master}")));
        await GetJsonAsync($"/jobs/{GitHubScenario.Master}");

        Scenario.GitHub.Requests.Count(r => r.Path == "/repos/acme/api/actions/workflows").Should().Be(1);
    }

    [Test]
    public async Task GitHubCalls_CarryApiVersionAndShareOneInstallationToken()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => GetJsonAsync($"/jobs/{GitHubScenario.Master}/acme/api/deploy.yml")));
        await GetJsonAsync($"/jobs/{GitHubScenario.Master}/acme/web/pages.yml");

        Scenario.GitHub.Requests.Should().OnlyContain(r => r.Headers.ContainsKey("X-GitHub-Api-Version"));
        Scenario.GitHub.Requests.Count(r => r.Path.EndsWith("/access_tokens", StringComparison.Ordinal)).Should().Be(1);
    }

    [Test]
    public async Task GitHubServerErrors_AreRetried_ForReads()
    {
        Scenario.GitHub.Faults.FailNext("GET", "/repos/acme/api/contents", 2, 502);

        var config = await GetJsonAsync($"/jobs/{GitHubScenario.Master}/acme/api/build.yml");

        config["name"]!.GetValue<string>().Should().Be("acme/api/build.yml");
    }

    [Test]
    public async Task GitHubDown_Answers503WithMessage()
    {
        Scenario.GitHub.Faults.FailNext("GET", "/repos/acme/api/actions/workflows", 20, 503);

        var (status, body) = await GetWithStatusAsync($"/jobs/{GitHubScenario.Master}/acme/api/build.yml");

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body["message"]!.GetValue<string>().Should().Contain("503");
    }

    [Test]
    public async Task Health_DownWithReason_WhenGitHubRejectsTheKey()
    {
        using var otherKey = System.Security.Cryptography.RSA.Create(2048);
        Scenario.Settings["GitHub:Masters:0:PrivateKey"] = otherKey.ExportRSAPrivateKeyPem();
        await Scenario.RestartServiceAsync();

        var (status, body) = await GetWithStatusAsync("/health");

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body["status"]!.GetValue<string>().Should().Be("DOWN");
        body["details"]![GitHubScenario.Master]!.GetValue<string>().Should().Contain("credentials");
        Scenario.Service!.AllLogText().Should().NotContain("PRIVATE KEY");
    }

    [Test]
    public async Task Secrets_NeverAppearInLogsOrBodies()
    {
        await GetWithStatusAsync($"/jobs/{GitHubScenario.Master}/acme/api/deploy.yml");
        await GetWithStatusAsync("/health");
        await GetWithStatusAsync($"/jobs/{GitHubScenario.Master}/acme/api/nope.yml");

        var logs = Scenario.Service!.AllLogText();
        foreach (var token in Scenario.App.IssuedTokens)
        {
            logs.Should().NotContain(token);
        }

        logs.Should().NotContain("BEGIN RSA PRIVATE KEY").And.NotContain("BEGIN PRIVATE KEY");
    }
}
