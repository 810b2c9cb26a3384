using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Igor;

/// <summary>Orca's GetBuildPropertiesTask and GetBuildArtifactsTask (contract §2.5, §2.6) against the simulator.</summary>
[CancelAfter(120_000)]
public sealed class BuildPropertiesTests : ScenarioTest
{
    private const string Job = "acme/api/build.yml";
    private SimulatedRun _run = null!;

    [SetUp]
    public void SetUpFixture()
    {
        _run = Scenario.Api.GetWorkflow("build.yml").CreateRun();
        _run.Start();
    }

    [Test]
    public async Task Properties_PropertiesFileInArtifact_AreReadWithJavaSyntax()
    {
        _run.AddArtifact("build-info", Zips.Create(("reports/other.txt", "x"), ("build.properties",
            "# written by the build\nIMAGE_TAG=1.2.3\nimage.repo : ghcr.io/acme/api\nmulti=a\\\n    b\nunicode=caf\\u00e9\n! also a comment\n")));
        _run.Complete("success");

        var properties = await PropertiesOkAsync("build.properties");

        properties["unicode"]!.GetValue<string>().Should().Be("café");
        properties.Remove("unicode");
        properties.ToJsonString().Should().Be("""{"IMAGE_TAG":"1.2.3","image.repo":"ghcr.io/acme/api","multi":"ab"}""");
        var blobRequests = Scenario.GitHub.Requests.Where(r => r.Path.StartsWith("/_blobs/", StringComparison.Ordinal)).ToArray();
        blobRequests.Should().NotBeEmpty().And.OnlyContain(r => !r.HasAuthorization, "the expiring download link is followed without the token");
    }

    [Test]
    public async Task Properties_PathForm_AnswersAsQueryForm()
    {
        _run.AddArtifact("build.properties", Zips.Create(("build.properties", "A=1")));
        _run.Complete("success");

        var text = await Scenario.Client.GetStringAsync($"builds/properties/{_run.RunNumber}/build.properties/{GitHubScenario.Master}/{OrcaClient.PathForm(Job)}");

        text.Should().Be("""{"A":"1"}""");
    }

    [Test]
    public async Task Properties_LogLines_FollowIgorsConvention()
    {
        _run.AddJob("build", string.Join('\n',
            "\uFEFF2026-11-24T10:00:00.1234567Z ##[group]Run echo \"SPINNAKER_PROPERTY_ECHOED=no\"",
            "2026-11-24T10:00:00.1234567Z \u001b[36;1mecho \"SPINNAKER_PROPERTY_ECHOED=no\"\u001b[0m",
            "2026-11-24T10:00:00.1234567Z ##[endgroup]",
            "2026-11-24T10:00:01.0000000Z SPINNAKER_PROPERTY_IMAGE_TAG=1.2.3",
            "2026-11-24T10:00:01.0000000Z \u001b[32mSPINNAKER_PROPERTY_COLOUR=green\u001b[0m",
            "2026-11-24T10:00:01.0000000Z SPINNAKER_PROPERTY_URL=https://x.example/?a=b",
            """2026-11-24T10:00:02.0000000Z SPINNAKER_CONFIG_JSON={"replicas":3,"regions":["eu","us"],"limits":{"cpu":"2"}}""",
            "2026-11-24T10:00:03.0000000Z done"));
        _run.Complete("success");

        var properties = await PropertiesOkAsync("build.properties");

        properties.ToJsonString().Should().Be(
            """{"image_tag":"1.2.3","colour":"green","url":"https://x.example/?a=b","replicas":3,"regions":["eu","us"],"limits":{"cpu":"2"}}""");
    }

    [Test]
    public async Task Properties_ArtifactAndLogLines_AreMergedLogLinesLast()
    {
        _run.AddArtifact("props", Zips.Create(("build.properties", "a=from-file\nb=from-file")));
        _run.AddJob("build", "2026-11-24T10:00:01.0000000Z SPINNAKER_PROPERTY_B=from-log\n");
        _run.Complete("success");

        var properties = await PropertiesOkAsync("build.properties");

        properties.ToJsonString().Should().Be("""{"a":"from-file","b":"from-log"}""");
    }

    [TestCase("build.json", """{"IMAGE_TAG":"1.2.3","replicas":3,"canary":true,"regions":["eu","us"],"limits":{"cpu":"2","memory":null}}""")]
    [TestCase("build.yml", "IMAGE_TAG: \"1.2.3\"\nreplicas: 3\ncanary: true\nregions: [eu, us]\nlimits:\n  cpu: \"2\"\n  memory: ~\n")]
    [TestCase("build.yaml", "IMAGE_TAG: '1.2.3'\nreplicas: 3\ncanary: true\nregions:\n  - eu\n  - us\nlimits: {cpu: '2', memory: null}\n")]
    public async Task Properties_StructuredFormats_KeepObjectsListsAndTypes(string fileName, string content)
    {
        _run.AddArtifact("outputs", Zips.Create(("out/" + fileName, content)));
        _run.Complete("success");

        var properties = await PropertiesOkAsync(fileName);

        properties.ToJsonString().Should().Be("""{"IMAGE_TAG":"1.2.3","replicas":3,"canary":true,"regions":["eu","us"],"limits":{"cpu":"2","memory":null}}""");
    }

    [Test]
    public async Task Artifacts_DeclaredInPropertyFile_AreReturnedAsKorkArtifacts()
    {
        const string Declared = """[{"type":"docker/image","name":"ghcr.io/acme/api","version":"sha-abc","reference":"ghcr.io/acme/api:sha-abc","metadata":{"registry":"ghcr.io"}}]""";
        _run.AddArtifact("outputs", Zips.Create(("build.json", $$"""{"IMAGE_TAG":"sha-abc","artifacts":{{Declared}}}"""), ("legacy.properties", $"artifacts={Declared}")));
        _run.Complete("success");

        var bound = await GetAsync($"builds/artifacts/{_run.RunNumber}/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Job)}&propertyFile=build.json");
        var fromProperties = await GetAsync($"builds/artifacts/{_run.RunNumber}/{GitHubScenario.Master}/{OrcaClient.PathForm(Job)}?propertyFile=legacy.properties");
        var without = await GetAsync($"builds/artifacts/{_run.RunNumber}/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Job)}");
        var properties = await PropertiesOkAsync("build.json");

        bound.Should().Be((HttpStatusCode.OK, Declared));
        fromProperties.Should().Be((HttpStatusCode.OK, Declared));
        without.Should().Be((HttpStatusCode.OK, "[]"));
        properties["artifacts"]!.ToJsonString().Should().Be(Declared, "the artifacts key is passed through to the stage context too");
    }

    [Test]
    public async Task NoArtifactOnTheWire_CarriesANull_ButARunningBuildsResultIsNull()
    {
        // Igor's models are NON_NULL: a "metadata": null makes kork's Artifact builder drop fileName, paths and url.
        _run.AddArtifact("image", Zips.Create(("app.txt", "x")));
        var running = JsonNode.Parse((await GetAsync($"builds/status/{_run.RunNumber}/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Job)}")).Body)!;
        running["result"].Should().BeNull();
        running.AsObject().ContainsKey("result").Should().BeTrue("Orca reads a running build's result as an explicit null");
        _run.Complete("success");

        (HttpStatusCode Status, string Body) finished = (0, "");
        await Poll.UntilAsync(async () =>
        {
            finished = await GetAsync($"builds/status/{_run.RunNumber}/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Job)}");
            return JsonNode.Parse(finished.Body)!["building"]!.GetValue<bool>() == false;
        });
        var (status, bytes) = finished;
        var artifacts = await GetAsync($"builds/artifacts/{_run.RunNumber}/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Job)}");

        status.Should().Be(HttpStatusCode.OK);
        var artifact = JsonNode.Parse(bytes)!["artifacts"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        artifact.Where(p => p.Value is null).Select(p => p.Key).Should().BeEmpty("no artifact field is written as null");
        bytes.Should().NotContain("\"metadata\":null").And.NotContain("\"url\":null");
        artifacts.Body.Should().NotContain(":null");
    }

    [Test]
    public async Task ArtifactsListedLate_PropertyReadIs503UntilGitHubListsThem_ThenTheFileIsRead_NothingEmptyWasKept()
    {
        // GitHub lists a run's artifacts a moment after the run completes; Orca's GetBuildPropertiesTask retries 503.
        await using var scenario = await GitHubScenario.CreateAsync(new GitHubSimulatorOptions { ArtifactListingDelay = TimeSpan.FromSeconds(2) }, start: false);
        scenario.Settings["GitHub:ArtifactSettleTime"] = "00:00:30";
        await scenario.StartServiceAsync();
        var run = scenario.Api.GetWorkflow("build.yml").CreateRun();
        run.AddArtifact("props", Zips.Create(("build.properties", "IMAGE=api:1")));
        run.Complete("success");
        var uri = $"builds/properties/{run.RunNumber}/build.properties/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Job)}";

        using var early = await scenario.Client.GetAsync(uri);
        early.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await early.Content.ReadAsStringAsync());
        (await early.Content.ReadAsStringAsync()).Should().Contain("moments ago");

        JsonNode? properties = null;
        await Poll.UntilAsync(async () =>
        {
            using var answer = await scenario.Client.GetAsync(uri);
            properties = answer.IsSuccessStatusCode ? JsonNode.Parse(await answer.Content.ReadAsStringAsync()) : null;
            return properties is not null;
        });
        properties!["IMAGE"]!.GetValue<string>().Should().Be("api:1");
        using var artifacts = await scenario.Client.GetAsync($"builds/status/{run.RunNumber}/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Job)}");
        JsonNode.Parse(await artifacts.Content.ReadAsStringAsync())!["artifacts"]!.AsArray().Should().ContainSingle("the empty early listing was not kept");
    }

    [Test]
    public async Task Properties_FinishedBuildWithoutTheFile_AnswersEmptyObject()
    {
        _run.AddArtifact("other", Zips.Create(("other.properties", "A=1")));
        _run.AddJob("build", "2026-11-24T10:00:01.0000000Z nothing to declare\n");
        _run.Complete("success");

        var answer = await GetAsync(PropertiesUri("build.properties"));

        answer.Should().Be((HttpStatusCode.OK, "{}"));
    }

    [Test]
    public async Task Properties_RunningBuild_Answers503SoOrcaRetries()
    {
        _run.AddArtifact("props", Zips.Create(("build.properties", "A=1")));

        var (status, body) = await GetAsync(PropertiesUri("build.properties"));

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.Should().Contain("still running");
    }

    [Test]
    public async Task Properties_GitHubFailing_Answers503AndNothingIsCached()
    {
        _run.AddArtifact("props", Zips.Create(("build.properties", "A=1")));
        _run.Complete("success");
        Scenario.GitHub.Faults.FailNext("GET", $"/repos/acme/api/actions/runs/{_run.Id}/artifacts", times: 20, statusCode: 502);

        var (status, _) = await GetAsync(PropertiesUri("build.properties"));
        Scenario.GitHub.Faults.Clear();
        var retried = await GetAsync(PropertiesUri("build.properties"));

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        retried.Should().Be((HttpStatusCode.OK, """{"A":"1"}"""));
    }

    [TestCase("..%2Fsecrets.properties")]
    [TestCase("dir%2Fbuild.properties")]
    [TestCase("dir%5Cbuild.properties")]
    public async Task Properties_FileNameWithPath_Answers400(string encodedFileName)
    {
        _run.Complete("success");

        var (status, body) = await GetAsync(PropertiesUri(encodedFileName));

        status.Should().Be(HttpStatusCode.BadRequest, body);
        body.Should().Contain("bare file name");
    }

    [Test]
    public async Task Properties_ArtifactThatIsNotAZip_AnswersBadGatewayAndServiceStaysUp()
    {
        _run.AddArtifact("broken", Encoding.UTF8.GetBytes("this is not a zip archive"));
        _run.Complete("success");

        var (status, body) = await GetAsync(PropertiesUri("build.properties"));
        using var health = await Scenario.Client.GetAsync("health");

        status.Should().Be(HttpStatusCode.BadGateway);
        body.Should().Contain("'broken'").And.Contain("not a zip");
        health.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Properties_ArtifactOverSizeCap_AnswersClearErrorInsteadOfEmpty()
    {
        Scenario.Settings["GitHub:MaxArtifactBytes"] = "200";
        await Scenario.RestartServiceAsync();
        _run.AddArtifact("big", Zips.Create(("build.properties", new string('x', 5000)), ("padding.bin", Guid.NewGuid().ToString())));
        _run.Complete("success");

        var (status, body) = await GetAsync(PropertiesUri("build.properties"));

        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        body.Should().Contain("GitHub:MaxArtifactBytes").And.Contain("'big'");
    }

    [Test]
    public async Task Status_FinishedRun_NamesUploadedArtifactsWithFileNameAndRelativePath()
    {
        var artifact = _run.AddArtifact("app-bundle", Zips.Create(("app.tgz", "binary")));
        _run.Complete("success");

        var build = await new OrcaClient(Scenario.Client, GitHubScenario.Master).StatusJsonAsync(Job, _run.RunNumber);

        var entry = build["artifacts"]!.AsArray().Single()!;
        entry["fileName"]!.GetValue<string>().Should().Be("app-bundle");
        entry["relativePath"]!.GetValue<string>().Should().Be("app-bundle");
        entry["displayPath"]!.GetValue<string>().Should().EndWith($"/actions/runs/{_run.Id}/artifacts/{artifact.Id}");
        entry["decorated"]!.GetValue<bool>().Should().BeFalse();
    }

    [Test]
    public async Task Status_LogPageUrlConfigured_UrlIsTheLogPage()
    {
        Scenario.Settings["Spinnaker:LogPageUrl"] = "https://spinnaker.example.com/gate/proxies/igor-logs/";
        await Scenario.RestartServiceAsync();

        var build = await new OrcaClient(Scenario.Client, GitHubScenario.Master).StatusJsonAsync(Job, _run.RunNumber);

        build["url"]!.GetValue<string>().Should().MatchRegex(
            $"^https://spinnaker\\.example\\.com/gate/proxies/igor-logs/logs/{GitHubScenario.Master}/acme/api/{_run.Id}/[A-Za-z0-9_-]{{22}}/$",
            "the log page link is signed for its run");
    }

    private string PropertiesUri(string encodedFileName) =>
        $"builds/properties/{_run.RunNumber}/{encodedFileName}/{GitHubScenario.Master}?job={OrcaClient.QueryForm(Job)}";

    private async Task<JsonObject> PropertiesOkAsync(string fileName)
    {
        var (status, body) = await GetAsync(PropertiesUri(Uri.EscapeDataString(fileName)));
        status.Should().Be(HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string uri)
    {
        using var response = await Scenario.Client.GetAsync(uri);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
