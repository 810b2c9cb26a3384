using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>After failures of every kind, neither error bodies nor logs carry the App key, tokens or shared secrets.</summary>
[CancelAfter(120_000)]
public sealed class SecretLeakTests : ScenarioTest
{
    private const string Deploy = "acme/api/deploy.yml";
    private FakeFiat _fiat = null!;
    private HttpClient _client = null!;
    private readonly List<string> _answers = [];

    protected override async Task ConfigureAsync(GitHubScenario scenario)
    {
        _fiat = await FakeFiat.StartAsync();
        _fiat.Admin("alice@example.com");
        scenario.Settings["Security:BearerTokens:0"] = BearerTokenTests.Token;
        scenario.Settings["GitHub:WebhookSecret"] = GitHubScenario.WebhookSecret;
        scenario.Settings["Fiat:BaseUrl"] = _fiat.BaseAddress.ToString();
        scenario.Settings["Fiat:CacheDuration"] = "00:00:00";
    }

    [SetUp]
    public void SetUpFixture()
    {
        _client = new HttpClient { BaseAddress = Scenario.Service!.BaseAddress };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BearerTokenTests.Token);
        _client.DefaultRequestHeaders.Add("X-SPINNAKER-USER", "alice@example.com");
    }

    [TearDown]
    public async Task DisposeFixturesAsync()
    {
        _client.Dispose();
        await _fiat.DisposeAsync();
    }

    [Test]
    public async Task Failures_ErrorBodiesAndLogs_CarryNoSecrets()
    {
        var orca = new OrcaClient(_client, GitHubScenario.Master);
        await orca.StartOkAsync(Deploy, new Dictionary<string, string> { ["version"] = "1" });
        var token = Scenario.App.IssuedTokens.Should().ContainSingle().Subject;
        var echoed = JsonSerializerMessage($"Bad credentials: token {token} for key {Scenario.App.PrivateKeyPem}");

        // GitHub refuses, with a body echoing credentials: 422 (passed on), 403 (an operator must fix it: 424, which Orca
        // does not retry, where 502 would be retried until the task times out), 500 (retry later).
        Scenario.GitHub.Faults.FailNext("POST", "/repos/acme/api/actions/workflows", statusCode: 422, body: echoed);
        await RecordAsync(orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "2" }), HttpStatusCode.UnprocessableEntity);
        Scenario.GitHub.Faults.FailNext("GET", "/repos/acme/web", times: 10, statusCode: 403, body: echoed);
        await RecordAsync(_client.GetAsync($"jobs/{GitHubScenario.Master}/acme/web/build.yml"), HttpStatusCode.FailedDependency);
        Scenario.GitHub.Faults.FailNext("GET", "/repos/acme/api/actions", times: 20, statusCode: 500, body: echoed);
        await RecordAsync(_client.GetAsync($"builds/all/{GitHubScenario.Master}/{Deploy}"), HttpStatusCode.ServiceUnavailable);

        // The installation token revoked: refused once, a new one minted.
        Scenario.GitHub.RevokeToken(token);
        Scenario.GitHub.Faults.Clear();
        await RecordAsync(orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "3" }), HttpStatusCode.OK);

        // Inbound refusals: bad webhook signature, wrong bearer token, Fiat down.
        await RecordAsync(WebhookSigner.PostAsync(_client, "ping", "{}", secret: null, signature: "sha256=" + new string('0', 64)), HttpStatusCode.Unauthorized);
        using var stranger = new HttpClient { BaseAddress = Scenario.Service!.BaseAddress };
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-" + BearerTokenTests.Token);
        await RecordAsync(stranger.GetAsync($"jobs/{GitHubScenario.Master}"), HttpStatusCode.Unauthorized);
        _fiat.FailWith = 500;
        await RecordAsync(orca.StartAsync(Deploy, new Dictionary<string, string> { ["version"] = "4" }), HttpStatusCode.ServiceUnavailable);
        await RecordAsync(_client.GetAsync("health"), HttpStatusCode.OK);

        var secrets = Scenario.App.IssuedTokens
            .Append(Scenario.App.PrivateKeyPem.Split('\n')[5])
            .Append(GitHubScenario.WebhookSecret)
            .Append(BearerTokenTests.Token)
            .ToArray();
        secrets.Should().HaveCountGreaterThan(4, "the revoked token was replaced by a new one");
        var logs = Scenario.Service.AllLogText();
        logs.Should().Contain("could not start").And.Contain("answered 424").And.Contain("answered 503").And.Contain("[redacted]");
        foreach (var secret in secrets)
        {
            _answers.Should().NotContain(a => a.Contains(secret, StringComparison.Ordinal));
            logs.Should().NotContain(secret);
        }

        _answers.Should().Contain(a => a.Contains("[redacted]", StringComparison.Ordinal), "GitHub's echo is passed on without the credentials");
    }

    private static string JsonSerializerMessage(string message) =>
        new JsonObject { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest" }.ToJsonString();

    private async Task RecordAsync(Task<HttpResponseMessage> send, HttpStatusCode expected)
    {
        using var response = await send;
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        _answers.Add(string.Join('\n', response.Headers.Select(h => $"{h.Key}: {string.Join(',', h.Value)}")) + "\n" + body);
    }
}
