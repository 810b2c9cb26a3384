using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>
/// The custom stages act on GitHub (run workflows, create deployments, write statuses branch protection trusts), so
/// every /stages route is off until Stages:Secret is set, then needs it; a named user needs Fiat WRITE; bearer tokens
/// apply. A refused call never reaches GitHub.
/// </summary>
[CancelAfter(60_000)]
public sealed class StagesAuthenticationTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    /// <summary>Every stage route with a body that would act on GitHub if it were let through.</summary>
    private static readonly (string Method, string Path, string Body)[] Routes =
    [
        ("POST", "stages/workflow-runs", """{"job":"acme/api/deploy.yml","inputs":{"version":"1"},"executionId":"e1","stageKey":"1","stageStartTime":"1"}"""),
        ("POST", "stages/workflow-runs/cancel", """{"job":"acme/api/deploy.yml","executionId":"e1","stageKey":"1"}"""),
        ("POST", "stages/workflow-runs/github-actions/1/cancel?job=acme%2Fapi%2Fdeploy.yml", "{}"),
        ("GET", "stages/workflow-runs/github-actions/1?job=acme%2Fapi%2Fdeploy.yml", ""),
        ("POST", "stages/deployments", """{"repository":"acme/api","ref":"main","environment":"production","executionId":"e1"}"""),
        ("POST", "stages/deployment-statuses", """{"repository":"acme/api","deploymentId":"1","state":"success"}"""),
        ("POST", "stages/commit-statuses", CommitStatus(Sha)),
    ];

    private static string CommitStatus(string sha) => $$"""{"repository":"acme/api","sha":"{{sha}}","state":"success","context":"deploy"}""";

    private static IEnumerable<TestCaseData> EveryRoute() => Routes.Select(r => new TestCaseData(r.Method, r.Path, r.Body).SetArgDisplayNames(r.Method, r.Path));

    [TestCaseSource(nameof(EveryRoute))]
    public async Task SecretNotConfigured_EveryRouteIsOff_403NamingTheKey_NoGitHubCall(string method, string path, string body)
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["Stages:Secret"] = "";
        await scenario.StartServiceAsync();
        var before = scenario.GitHub.Requests.Count;

        using var response = await SendAsync(scenario, method, path, body, GitHubScenario.StagesSecret);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Stages:Secret").And.Contain("X-Igor-Stages-Secret");
        scenario.GitHub.Requests.Count.Should().Be(before, "a refused call never reaches GitHub");
    }

    [TestCaseSource(nameof(EveryRoute))]
    public async Task SecretMissingOrWrong_401_NoGitHubCall(string method, string path, string body)
    {
        await using var scenario = await GitHubScenario.CreateAsync();
        var before = scenario.GitHub.Requests.Count;

        using var missing = await SendAsync(scenario, method, path, body, secret: null);
        using var wrong = await SendAsync(scenario, method, path, body, GitHubScenario.StagesSecret + "x");

        missing.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadAsStringAsync()).Should().Contain("X-Igor-Stages-Secret").And.NotContain(GitHubScenario.StagesSecret);
        scenario.GitHub.Requests.Count.Should().Be(before);
    }

    [Test]
    public async Task RightSecret_TheStageActs()
    {
        await using var scenario = await GitHubScenario.CreateAsync();

        using var response = await SendAsync(scenario, "POST", "stages/commit-statuses", CommitStatus(scenario.Api.GetHeadSha()), GitHubScenario.StagesSecret);

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        scenario.GitHub.Requests.Should().Contain(r => r.Method == "POST" && r.Path == $"/repos/acme/api/statuses/{scenario.Api.GetHeadSha()}");
    }

    [Test]
    public async Task ShortSecret_StartIsRefusedNamingTheKey()
    {
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["Stages:Secret"] = "too-short";

        var start = () => scenario.StartServiceAsync();

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Message.Should().Contain("Stages:Secret");
    }

    [TestCase("releaser", HttpStatusCode.Created)]
    [TestCase("reader", HttpStatusCode.Forbidden)]
    [TestCase("stranger", HttpStatusCode.Forbidden)]
    [TestCase(null, HttpStatusCode.Created)]
    public async Task FiatOn_ANamedUserNeedsWriteOnTheMaster(string? user, HttpStatusCode expected)
    {
        await using var fiat = await FakeFiat.StartAsync();
        fiat.Grant("releaser", GitHubScenario.Master, "READ", "WRITE").Grant("reader", GitHubScenario.Master, "READ");
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["Fiat:BaseUrl"] = fiat.BaseAddress.ToString();
        await scenario.StartServiceAsync();

        using var response = await SendAsync(scenario, "POST", "stages/commit-statuses", CommitStatus(scenario.Api.GetHeadSha()), GitHubScenario.StagesSecret, user);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, text);
        if (expected == HttpStatusCode.Forbidden)
        {
            text.Should().Contain("access denied").And.Contain(user!);
            scenario.GitHub.Requests.Should().NotContain(r => r.Method == "POST");
        }
    }

    [TestCase("releaser", HttpStatusCode.Created)]
    [TestCase("reader", HttpStatusCode.Forbidden)]
    public async Task FiatOn_TheUserNamedInTheBody_NeedsWrite(string user, HttpStatusCode expected)
    {
        await using var fiat = await FakeFiat.StartAsync();
        fiat.Grant("releaser", GitHubScenario.Master, "READ", "WRITE").Grant("reader", GitHubScenario.Master, "READ");
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["Fiat:BaseUrl"] = fiat.BaseAddress.ToString();
        await scenario.StartServiceAsync();
        var body = JsonNode.Parse(CommitStatus(scenario.Api.GetHeadSha()))!;
        body["user"] = user;

        using var response = await SendAsync(scenario, "POST", "stages/commit-statuses", body.ToJsonString(), GitHubScenario.StagesSecret);

        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task BearerTokensOn_TheStagesNeedOneToo()
    {
        const string token = "stage-bearer-token-0123456789";
        await using var scenario = await GitHubScenario.CreateAsync(start: false);
        scenario.Settings["Security:BearerTokens:0"] = token;
        await scenario.StartServiceAsync();

        using var withoutToken = await SendAsync(scenario, "POST", "stages/commit-statuses", CommitStatus(scenario.Api.GetHeadSha()), GitHubScenario.StagesSecret);
        using var withToken = await SendAsync(scenario, "POST", "stages/commit-statuses", CommitStatus(scenario.Api.GetHeadSha()), GitHubScenario.StagesSecret, bearer: token);

        withoutToken.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        withToken.StatusCode.Should().Be(HttpStatusCode.Created, await withToken.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(
        GitHubScenario scenario, string method, string path, string body, string? secret, string? user = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (secret is not null)
        {
            request.Headers.Add("X-Igor-Stages-Secret", secret);
        }

        if (user is not null)
        {
            request.Headers.Add("X-SPINNAKER-USER", user);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return await scenario.Client.SendAsync(request);
    }
}
