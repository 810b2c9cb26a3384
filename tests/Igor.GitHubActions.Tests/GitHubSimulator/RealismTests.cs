using System.Net;
using System.Net.Http.Headers;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

/// <summary>Behaviours of GitHub the service's tests lean on, each as GitHub documents or shows it.</summary>
public sealed class RealismTests
{
    private SimulatorHarness _h = null!;
    private string _token = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await SimulatorHarness.StartAsync();
        _token = await _h.InstallationTokenAsync();
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    [Test]
    public async Task Enterprise_ApiRequested_IsServedUnderApiV3NotAtTheRoot()
    {
        _h.Sim.Options.EnterpriseOnly = true;
        using var client = SimulatorHarness.NewClient(_h.Sim.EnterpriseApiUrl, allowRedirect: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "repos/acme/api");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);

        using var prefixed = await client.SendAsync(request);
        using var root = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", _token);

        prefixed.StatusCode.Should().Be(HttpStatusCode.OK);
        root.StatusCode.Should().Be(HttpStatusCode.NotFound, "a GHES host serves its web UI at the root, not the REST API");
    }

    [Test]
    public async Task ETags_AnotherCredential_Change()
    {
        var other = await _h.InstallationTokenAsync();
        using var first = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", _token);
        var etag = first.Headers.ETag!.ToString();

        using var sameToken = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", _token, configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        using var newToken = await _h.SendAsync(HttpMethod.Get, "/repos/acme/api", other, configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));

        sameToken.StatusCode.Should().Be(HttpStatusCode.NotModified);
        newToken.StatusCode.Should().Be(HttpStatusCode.OK, "GitHub's responses vary by Authorization: a new token's ETag differs");
        newToken.Headers.ETag!.ToString().Should().NotBe(etag);
    }

    [Test]
    public async Task CommitStatuses_Past1000PerShaAndContext_AreRefused()
    {
        var sha = _h.Repo.GetHeadSha();
        _h.Sim.Options.ContentCreationLimitPerMinute = int.MaxValue;
        for (var i = 0; i < 1000; i++)
        {
            using var ok = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/statuses/{sha}", _token, new { state = "pending", context = "ci" });
            ok.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using var tooMany = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/statuses/{sha}", _token, new { state = "success", context = "ci" });
        using var otherContext = await _h.SendAsync(HttpMethod.Post, $"/repos/acme/api/statuses/{sha}", _token, new { state = "success", context = "deploy" });

        tooMany.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await tooMany.Content.ReadAsStringAsync()).Should().Contain("This SHA and context has reached the maximum number of statuses.");
        otherContext.StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
