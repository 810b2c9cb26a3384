using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;
using Igor.GitHubActions.Tests.Security;

namespace Igor.GitHubActions.Tests.Logs;

/// <summary>
/// With Fiat and bearer tokens on, a build's log page link still opens through Gate's proxy, which forwards anonymously:
/// the link is signed for its run. A signature of another run, or none, gets nothing more than before.
/// </summary>
[CancelAfter(120_000)]
public sealed class SignedLogLinkTests : ScenarioTest
{
    private const string Job = "acme/api/build.yml";
    private const string Root = "https://spinnaker.example.com/gate/proxies/igor-logs/";
    private FakeFiat _fiat = null!;
    private HttpClient _spinnaker = null!;
    private HttpClient _gateProxy = null!;
    private SimulatedRun _run = null!;
    private SimulatedRun _other = null!;

    protected override async Task ConfigureAsync(GitHubScenario scenario)
    {
        _fiat = await FakeFiat.StartAsync();
        _fiat.Grant("alice@example.com", GitHubScenario.Master, "READ");
        scenario.Settings["Spinnaker:LogPageUrl"] = Root;
        scenario.Settings["Security:BearerTokens:0"] = BearerTokenTests.Token;
        scenario.Settings["Fiat:BaseUrl"] = _fiat.BaseAddress.ToString();
    }

    [SetUp]
    public void SetUpFixture()
    {
        _run = Scenario.Api.GetWorkflow("build.yml").CreateRun();
        _run.AddJob("test", "2026-11-24T10:00:00.0000000Z all tests passed\n");
        _run.Complete("success");
        _other = Scenario.Api.GetWorkflow("build.yml").CreateRun();
        _other.AddJob("test", "2026-11-24T10:00:00.0000000Z other run's log\n");
        _other.Complete("success");

        CreateClients();
    }

    [TearDown]
    public async Task DisposeFixturesAsync()
    {
        _spinnaker.Dispose();
        _gateProxy.Dispose();
        await _fiat.DisposeAsync();
    }

    [Test]
    public async Task BuildUrl_IsASignedLogPage_ThatOpensWithNoUserOrToken_AndSoDoesItsConsoleText()
    {
        var url = await BuildUrlAsync(_run);

        url.Should().StartWith($"{Root}logs/{GitHubScenario.Master}/acme/api/{_run.Id}/").And.EndWith("/");
        var signature = url[$"{Root}logs/{GitHubScenario.Master}/acme/api/{_run.Id}/".Length..].TrimEnd('/');
        signature.Should().MatchRegex("^[A-Za-z0-9_-]{22}$");
        using var page = await _gateProxy.GetAsync(ViaProxy(url));
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("all tests passed");

        // Deck's script stage links {url}consoleText.
        var text = await _gateProxy.GetStringAsync(ViaProxy(url) + "consoleText");
        text.Should().Contain("all tests passed");
    }

    [Test]
    public async Task SignatureOfAnotherRun_OrTampered_Is403_BeforeAnyGitHubCall()
    {
        var signed = ViaProxy(await BuildUrlAsync(_run));
        var otherSignature = ViaProxy(await BuildUrlAsync(_other)).TrimEnd('/').Split('/')[^1];
        var signature = signed.TrimEnd('/').Split('/')[^1];
        Scenario.GitHub.ClearRequests();

        var replayed = signed.Replace(signature, otherSignature, StringComparison.Ordinal);
        var flipped = signed.Replace(signature, (signature[0] == 'A' ? "B" : "A") + signature[1..], StringComparison.Ordinal);
        var otherRepository = signed.Replace("/acme/api/", "/acme/web/", StringComparison.Ordinal);
        foreach (var path in new[] { replayed, flipped, otherRepository, replayed + "consoleText" })
        {
            using var response = await _gateProxy.GetAsync(path);
            // The signed routes are anonymous by design (Gate's proxy sends no token): the signature is their credential.
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{path} is not validly signed");
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>().Should().Contain("signature does not match");
            using var withToken = await _spinnaker.GetAsync(path);
            withToken.StatusCode.Should().Be(HttpStatusCode.Forbidden, path);
            JsonNode.Parse(await withToken.Content.ReadAsStringAsync())!["message"]!.GetValue<string>().Should().Contain("signature does not match");
        }

        Scenario.GitHub.Requests.Should().BeEmpty("a bad signature costs no GitHub request");
    }

    [Test]
    public async Task UnsignedLogRoutes_KeepTheirChecks_TokenAndFiatUser()
    {
        var unsigned = $"logs/{GitHubScenario.Master}/acme/api/{_run.Id}/";

        using var anonymous = await _gateProxy.GetAsync(unsigned);
        using var rawAnonymous = await _gateProxy.GetAsync($"{unsigned}jobs/{_run.Jobs[0].Id}/raw");
        using var tokenNoUser = new HttpClient { BaseAddress = Scenario.Service!.BaseAddress };
        tokenNoUser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BearerTokenTests.Token);
        using var noUser = await tokenNoUser.GetAsync(unsigned);
        using var reader = await _spinnaker.GetAsync(unsigned);

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        rawAnonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        noUser.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        reader.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task LogLinkKey_SignsTheSameOnEveryReplica_AndAnotherKeyRefusesTheLink()
    {
        Scenario.Settings["Spinnaker:LogLinkKey"] = new string('k', 40);
        await Scenario.RestartServiceAsync();
        RenewClients();
        var first = await BuildUrlAsync(_run);

        await Scenario.RestartServiceAsync();
        RenewClients();
        (await BuildUrlAsync(_run)).Should().Be(first, "a replica (or a restart) with the same key signs the same link");
        using (var opened = await _gateProxy.GetAsync(ViaProxy(first)))
        {
            opened.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        Scenario.Settings["Spinnaker:LogLinkKey"] = new string('x', 40);
        await Scenario.RestartServiceAsync();
        RenewClients();
        using var refused = await _gateProxy.GetAsync(ViaProxy(first));
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, "links of a rotated key are no longer valid");
    }

    [Test]
    public async Task LogLinkKey_TooShort_RefusesStartNamingTheKey()
    {
        Scenario.Settings["Spinnaker:LogLinkKey"] = "short";

        var start = () => Scenario.RestartServiceAsync();

        (await start.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain("Spinnaker:LogLinkKey").And.NotContain("short\"");
    }

    private async Task<string> BuildUrlAsync(SimulatedRun run)
    {
        using var response = await _spinnaker.GetAsync($"builds/status/{run.RunNumber}/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Job)}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["url"]!.GetValue<string>();
    }

    /// <summary>The path Gate's proxy requests on this service for a public link.</summary>
    private static string ViaProxy(string url) => url[Root.Length..];

    private void RenewClients()
    {
        _spinnaker.Dispose();
        _gateProxy.Dispose();
        CreateClients();
    }

    /// <summary>Spinnaker's services: bearer token and user. Gate's proxy: neither.</summary>
    private void CreateClients()
    {
        _spinnaker = new HttpClient { BaseAddress = Scenario.Service!.BaseAddress };
        _spinnaker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BearerTokenTests.Token);
        _spinnaker.DefaultRequestHeaders.Add("X-SPINNAKER-USER", "alice@example.com");
        _gateProxy = new HttpClient { BaseAddress = Scenario.Service.BaseAddress };
    }
}
