using System.Net;
using System.Text;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

public sealed class ContentAndWorkflowTests
{
    private const string Yaml = "name: Deploy service\non:\n  workflow_dispatch:\njobs: {}\n";

    private SimulatorHarness _h = null!;
    private string _token = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await SimulatorHarness.StartAsync();
        _h.Repo.AddWorkflow("deploy.yml", Yaml);
        _h.Repo.AddWorkflow("unnamed.yaml", "on: push\njobs: {}\n");
        _token = await _h.InstallationTokenAsync();
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    [Test]
    public async Task Workflows_Listed_AreNamedFromYamlOrPath_WithAnETag()
    {
        using var response = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/actions/workflows", _token);
        var etag = response.Headers.ETag!.ToString();
        using var notModified = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/actions/workflows", _token, configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));

        var body = await SimulatorHarness.ReadJsonAsync(response);
        body["total_count"]!.GetValue<int>().Should().Be(2);
        var workflows = body["workflows"]!.AsArray();
        workflows[0]!["name"]!.GetValue<string>().Should().Be("Deploy service");
        workflows[0]!["path"]!.GetValue<string>().Should().Be(".github/workflows/deploy.yml");
        workflows[0]!["state"]!.GetValue<string>().Should().Be("active");
        workflows[1]!["name"]!.GetValue<string>().Should().Be(".github/workflows/unnamed.yaml");
        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Test]
    public async Task Workflow_ByFileNameOrId_IsFound()
    {
        var id = _h.Repo.GetWorkflow("deploy.yml").Id;

        using var byName = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/actions/workflows/deploy.yml", _token);
        using var byId = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/workflows/{id}", _token);
        using var missing = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/actions/workflows/nope.yml", _token);

        (await SimulatorHarness.ReadJsonAsync(byName))["id"]!.GetValue<long>().Should().Be(id);
        byId.StatusCode.Should().Be(HttpStatusCode.OK);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Contents_Requested_AreServedRawOrAsBase64Json()
    {
        using var raw = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/contents/.github/workflows/deploy.yml?ref=main", _token, configure: r =>
        {
            r.Headers.Accept.Clear();
            r.Headers.Accept.ParseAdd("application/vnd.github.raw+json");
        });
        using var json = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/contents/.github/workflows/deploy.yml", _token);

        (await raw.Content.ReadAsStringAsync()).Should().Be(Yaml);
        var body = await SimulatorHarness.ReadJsonAsync(json);
        body["type"]!.GetValue<string>().Should().Be("file");
        body["encoding"]!.GetValue<string>().Should().Be("base64");
        body["name"]!.GetValue<string>().Should().Be("deploy.yml");
        body["path"]!.GetValue<string>().Should().Be(".github/workflows/deploy.yml");
        body["sha"]!.GetValue<string>().Should().MatchRegex("^[0-9a-f]{40}$");
        Encoding.UTF8.GetString(Convert.FromBase64String(body["content"]!.GetValue<string>().Replace("\n", "", StringComparison.Ordinal))).Should().Be(Yaml);
    }

    [Test]
    public async Task Contents_WithAnETagOrARef_AnswerAccordingly()
    {
        _h.Repo.SetFile("config/app.json", "{\"v\":2}", "feature");
        using var first = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/contents/config/app.json?ref=feature", _token);
        var etag = first.Headers.ETag!.ToString();

        using var cached = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/contents/config/app.json?ref=feature", _token, configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        using var onMain = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/contents/config/app.json", _token);
        using var badRef = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/contents/config/app.json?ref=nope", _token);
        using var directory = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/contents/.github/workflows", _token);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        cached.StatusCode.Should().Be(HttpStatusCode.NotModified);
        onMain.StatusCode.Should().Be(HttpStatusCode.NotFound);
        badRef.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await SimulatorHarness.MessageAsync(badRef)).Should().Be("No commit found for the ref nope");
        (await SimulatorHarness.ReadJsonAsync(directory)).AsArray().Select(e => e!["name"]!.GetValue<string>()).Should().Equal("deploy.yml", "unnamed.yaml");
    }

    [Test]
    public async Task BranchesAndRefs_Resolved_GiveTheHeadSha()
    {
        _h.Repo.AddTag("v1");

        using var branch = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/branches/main", _token);
        using var tag = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/git/ref/tags/v1", _token);
        using var missing = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/branches/nope", _token);

        (await SimulatorHarness.ReadJsonAsync(branch))["commit"]!["sha"]!.GetValue<string>().Should().Be(_h.Repo.GetHeadSha("main"));
        (await SimulatorHarness.ReadJsonAsync(tag))["object"]!["sha"]!.GetValue<string>().Should().Be(_h.Repo.GetHeadSha("v1"));
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Workflow_DisabledOverTheApi_ChangesItsState()
    {
        using var disable = await _h.SendAsync(HttpMethod.Put, "/repos/acme/api/actions/workflows/deploy.yml/disable", _token);

        disable.StatusCode.Should().Be(HttpStatusCode.NoContent);
        _h.Repo.GetWorkflow("deploy.yml").State.Should().Be("disabled_manually");
    }
}
