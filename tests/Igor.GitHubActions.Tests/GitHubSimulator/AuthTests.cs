using System.Net;
using System.Net.Http.Headers;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

public sealed class AuthTests
{
    private SimulatorHarness _h = null!;

    [SetUp]
    public async Task SetUp() => _h = await SimulatorHarness.StartAsync();

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    [TestCase(true)]
    [TestCase(false)]
    public async Task AppJwt_SignedWithThePrivateKey_IsAcceptedWithAppIdOrClientId(bool useClientId)
    {
        var now = _h.Time.GetUtcNow();
        var jwt = SimulatorHarness.Jwt(_h.App.PrivateKeyPem, useClientId ? SimulatorHarness.ClientId : SimulatorHarness.AppId, now.AddSeconds(-60), now.AddMinutes(9));

        using var response = await _h.SendAsync(HttpMethod.Get, "/app", jwt);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var app = await SimulatorHarness.ReadJsonAsync(response);
        app["id"]!.GetValue<long>().Should().Be(SimulatorHarness.AppId);
        app["slug"]!.GetValue<string>().Should().Be("spinnaker-igor");
    }

    [Test]
    public async Task AppJwt_SignedWithAPkcs8Key_IsAccepted()
    {
        var now = _h.Time.GetUtcNow();
        var jwt = SimulatorHarness.Jwt(_h.App.PrivateKeyPkcs8Pem, SimulatorHarness.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture), now, now.AddMinutes(10));

        using var response = await _h.SendAsync(HttpMethod.Get, "/app/installations", jwt);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await SimulatorHarness.ReadJsonAsync(response)).AsArray().Should().ContainSingle();
    }

    [Test]
    public async Task AppJwt_SignedByAnotherKey_IsRejected()
    {
        var other = _h.Sim.CreateApp(99, "Iv23other");
        var now = _h.Time.GetUtcNow();
        var jwt = SimulatorHarness.Jwt(other.PrivateKeyPem, SimulatorHarness.AppId, now, now.AddMinutes(5));

        using var response = await _h.SendAsync(HttpMethod.Get, "/app", jwt);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SimulatorHarness.MessageAsync(response)).Should().Be("A JSON web token could not be decoded");
    }

    [Test]
    public async Task AppJwt_Expired_IsRejected()
    {
        var now = _h.Time.GetUtcNow();
        var jwt = SimulatorHarness.Jwt(_h.App.PrivateKeyPem, SimulatorHarness.AppId, now.AddMinutes(-10), now.AddSeconds(-1));

        using var response = await _h.SendAsync(HttpMethod.Get, "/app", jwt);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SimulatorHarness.MessageAsync(response)).Should().Contain("'Expiration time' claim ('exp')");
    }

    [Test]
    public async Task AppJwt_ValidForMoreThanTenMinutes_IsRejected()
    {
        var now = _h.Time.GetUtcNow();
        var jwt = SimulatorHarness.Jwt(_h.App.PrivateKeyPem, SimulatorHarness.AppId, now, now.AddMinutes(11));

        using var response = await _h.SendAsync(HttpMethod.Get, "/app", jwt);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SimulatorHarness.MessageAsync(response)).Should().Contain("too far in the future");
    }

    [Test]
    public async Task AppJwt_IssuedInTheFutureBeyondSkew_IsRejected()
    {
        var now = _h.Time.GetUtcNow();
        var jwt = SimulatorHarness.Jwt(_h.App.PrivateKeyPem, SimulatorHarness.AppId, now.AddMinutes(2), now.AddMinutes(8));

        using var response = await _h.SendAsync(HttpMethod.Get, "/app", jwt);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SimulatorHarness.MessageAsync(response)).Should().Contain("'Issued at' claim ('iat')");
    }

    [Test]
    public async Task RepositoryInstallation_LookedUp_IsFoundOr404()
    {
        _h.Sim.AddRepository("other-org", "svc");

        using var found = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api/installation", _h.AppJwt());
        using var missing = await _h.SendAsync(HttpMethod.Get, "/repos/other-org/svc/installation", _h.AppJwt());

        found.StatusCode.Should().Be(HttpStatusCode.OK);
        var installation = await SimulatorHarness.ReadJsonAsync(found);
        installation["id"]!.GetValue<long>().Should().Be(_h.InstallationId);
        installation["account"]!["login"]!.GetValue<string>().Should().Be("acme");
        installation["app_id"]!.GetValue<long>().Should().Be(SimulatorHarness.AppId);
        installation["app_slug"]!.GetValue<string>().Should().Be("spinnaker-igor");
        installation["repository_selection"]!.GetValue<string>().Should().Be("all");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await SimulatorHarness.MessageAsync(missing)).Should().Be("Not Found");
    }

    [Test]
    public async Task InstallationToken_Issued_IsInTheLongStatelessFormat_OpensTheRepository()
    {
        var token = await _h.InstallationTokenAsync();

        token.Should().StartWith("ghs_").And.Contain(".");
        token.Length.Should().BeInRange(500, 560);
        _h.App.IssuedTokens.Should().ContainSingle().Which.Should().Be(token);
        using var repo = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", token);
        repo.StatusCode.Should().Be(HttpStatusCode.OK);
        (await SimulatorHarness.ReadJsonAsync(repo))["default_branch"]!.GetValue<string>().Should().Be("main");
    }

    [Test]
    public async Task InstallationToken_UnderTheTokenOrBearerScheme_IsAccepted()
    {
        var token = await _h.InstallationTokenAsync();

        using var response = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", null, configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("token", token));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task InstallationToken_ClockPassesItsExpiry_IsRefused()
    {
        var token = await _h.InstallationTokenAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(59));
        using var stillValid = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", token);

        _h.Time.Advance(TimeSpan.FromMinutes(1));
        using var expired = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", token);

        stillValid.StatusCode.Should().Be(HttpStatusCode.OK);
        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SimulatorHarness.MessageAsync(expired)).Should().Be("Bad credentials");
    }

    [Test]
    public async Task InstallationToken_RevokedOrAppUninstalled_AnswersBadCredentials()
    {
        var revoked = await _h.InstallationTokenAsync();
        var uninstalled = await _h.InstallationTokenAsync();
        _h.Sim.RevokeToken(revoked);
        _h.App.Uninstall(_h.InstallationId);

        using var first = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", revoked);
        using var second = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", uninstalled);

        first.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        second.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task InstallationToken_NotCoveringTheRepository_Gets404()
    {
        _h.Sim.AddRepository("acme", "secret");
        _h.Sim.AddRepository("globex", "web");
        var selected = _h.App.Install("globex", "other");
        var token = await _h.InstallationTokenAsync(selected);

        using var response = await _h.SendAsync(HttpMethod.Get, "/repos/globex/web/actions/runs", token);
        using var otherOwner = await _h.SendAsync(HttpMethod.Get, "/repos/acme/secret", token);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        otherOwner.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task InstallationToken_NarrowedToPermissions_Gets403ForWrites()
    {
        _h.Repo.AddWorkflow("deploy.yml", "on: workflow_dispatch\njobs: {}\n");
        var token = await _h.InstallationTokenAsync(body: new { permissions = new { actions = "read" } });

        using var response = await _h.SendAsync(HttpMethod.Post, "/repos/acme/api/actions/workflows/deploy.yml/dispatches", token, new { @ref = "main" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await SimulatorHarness.MessageAsync(response)).Should().Be("Resource not accessible by integration");
    }

    [Test]
    public async Task InstallationToken_NarrowedToRepositories_SeesOnlyThose()
    {
        _h.Sim.AddRepository("acme", "web");
        var token = await _h.InstallationTokenAsync(body: new { repositories = new[] { "web" } });

        using var web = await _h.SendAsync(HttpMethod.Get, "/repos/acme/web", token);
        using var api = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", token);
        using var invalid = await _h.SendAsync(HttpMethod.Post, $"/app/installations/{_h.InstallationId}/access_tokens", _h.AppJwt(), new { repositories = new[] { "nope" } });

        web.StatusCode.Should().Be(HttpStatusCode.OK);
        api.StatusCode.Should().Be(HttpStatusCode.NotFound);
        invalid.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task PersonalAccessToken_Used_ReachesEveryRepository()
    {
        _h.Sim.AddRepository("globex", "web");
        var pat = _h.Sim.AddPersonalAccessToken();

        using var response = await _h.SendAsync(HttpMethod.Get, "/repos/globex/web", pat);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task InstallationRepositories_Listed_ArePagedWithALinkHeader()
    {
        for (var i = 0; i < 4; i++)
        {
            _h.Sim.AddRepository("acme", $"svc-{i}");
        }

        var token = await _h.InstallationTokenAsync();

        using var first = await _h.SendAsync(HttpMethod.Get, "/installation/repositories?per_page=2", token);
        using var last = await _h.SendAsync(HttpMethod.Get, "/installation/repositories?per_page=2&page=3", token);

        var body = await SimulatorHarness.ReadJsonAsync(first);
        body["total_count"]!.GetValue<int>().Should().Be(5);
        body["repository_selection"]!.GetValue<string>().Should().Be("all");
        body["repositories"]!.AsArray().Should().HaveCount(2);
        first.Headers.GetValues("Link").Single().Should().Contain("rel=\"next\"").And.Contain("page=2");
        (await SimulatorHarness.ReadJsonAsync(last))["repositories"]!.AsArray().Should().ContainSingle();
    }

    [Test]
    public async Task EnterprisePrefix_Used_ServesTheSameRoutes()
    {
        using var client = SimulatorHarness.NewClient(_h.Sim.EnterpriseApiUrl, allowRedirect: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "app");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _h.AppJwt());

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _h.Sim.EnterpriseApiUrl.AbsoluteUri.Should().EndWith("/api/v3/");
        _h.Sim.Requests.Should().Contain(r => r.Path == "/api/v3/app" && r.ApiPath == "/app");
    }
}
