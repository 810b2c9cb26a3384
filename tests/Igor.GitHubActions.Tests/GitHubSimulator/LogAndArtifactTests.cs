using System.IO.Compression;
using System.Net;
using System.Text;
using Igor.GitHubActions.Testing;

namespace Igor.GitHubActions.Tests.GitHubSimulator;

public sealed class LogAndArtifactTests
{
    private SimulatorHarness _h = null!;
    private string _token = null!;
    private SimulatedRun _run = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await SimulatorHarness.StartAsync();
        _run = _h.Repo.AddWorkflow("deploy.yml", "name: Deploy\non: workflow_dispatch\njobs: {}\n").CreateRun("workflow_dispatch");
        _token = await _h.InstallationTokenAsync();
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private async Task<Uri> RedirectTarget(string path)
    {
        using var response = await _h.SendAsync(HttpMethod.Get, path, _token);
        response.StatusCode.Should().Be(HttpStatusCode.Found);
        return response.Headers.Location!;
    }

    [Test]
    public async Task Jobs_OfARun_AreListedWithSteps()
    {
        var job = _run.AddJob("build", "log", "failure");
        job.AddStep("echo distinct ID abc");
        _run.AddJob("deploy", "log", conclusion: null);

        using var response = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/runs/{_run.Id}/jobs", _token);

        var jobs = (await SimulatorHarness.ReadJsonAsync(response))["jobs"]!.AsArray();
        jobs.Should().HaveCount(2);
        jobs[0]!["id"]!.GetValue<long>().Should().Be(job.Id);
        jobs[0]!["run_id"]!.GetValue<long>().Should().Be(_run.Id);
        jobs[0]!["conclusion"]!.GetValue<string>().Should().Be("failure");
        jobs[0]!["steps"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Should().Contain("echo distinct ID abc");
        jobs[1]!["status"]!.GetValue<string>().Should().Be("in_progress");
        jobs[1]!["conclusion"].Should().BeNull();
    }

    [Test]
    public async Task JobLog_Requested_RedirectsToABlobThatNeedsNoAuthAndExpiresAfterAMinute()
    {
        var job = _run.AddJob("build", "line 1\nline 2\n");

        var location = await RedirectTarget($"/repos/acme/api/actions/jobs/{job.Id}/logs");
        using var anonymous = SimulatorHarness.NewClient(_h.Sim.BaseAddress, allowRedirect: false);
        using var log = await anonymous.GetAsync(location);
        _h.Time.Advance(TimeSpan.FromSeconds(61));
        using var expired = await anonymous.GetAsync(location);

        location.Authority.Should().Be(_h.Sim.BaseAddress.Authority);
        location.AbsolutePath.Should().StartWith("/_blobs/");
        log.StatusCode.Should().Be(HttpStatusCode.OK);
        log.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await log.Content.ReadAsStringAsync()).Should().Be("line 1\nline 2\n");
        expired.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        _h.Sim.Requests.Where(r => r.Path.StartsWith("/_blobs/", StringComparison.Ordinal)).Should().OnlyContain(r => !r.HasAuthorization);
    }

    [Test]
    public async Task BlobUrl_SignatureTampered_IsRefused()
    {
        var job = _run.AddJob("build", "secret");
        var location = await RedirectTarget($"/repos/acme/api/actions/jobs/{job.Id}/logs");

        using var anonymous = SimulatorHarness.NewClient(_h.Sim.BaseAddress, allowRedirect: false);
        using var response = await anonymous.GetAsync(new Uri(location.AbsoluteUri.Replace("sig=", "sig=0", StringComparison.Ordinal)));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task JobLog_LargeAndGenerated_IsStreamed()
    {
        const long size = 64L * 1024 * 1024;
        var job = _run.AddJob("huge", () => new GeneratedStream(size));

        var location = await RedirectTarget($"/repos/acme/api/actions/jobs/{job.Id}/logs");
        using var client = SimulatorHarness.NewClient(_h.Sim.BaseAddress, allowRedirect: false);
        using var response = await client.GetAsync(location, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        total.Should().Be(size);
    }

    [Test]
    public async Task RunLogs_AfterTheRunEnded_AreAZipOfJobLogs_404Before()
    {
        _run.AddJob("build", "building");
        _run.AddJob("test", "testing");
        _run.Start();
        using var running = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/runs/{_run.Id}/logs", _token);
        running.StatusCode.Should().Be(HttpStatusCode.NotFound, "GitHub builds the archive when the run ends");
        _run.Complete("success");

        var location = await RedirectTarget($"/repos/acme/api/actions/runs/{_run.Id}/logs");
        using var client = SimulatorHarness.NewClient(_h.Sim.BaseAddress, allowRedirect: false);
        var bytes = await client.GetByteArrayAsync(location);

        using var zip = new ZipArchive(new MemoryStream(bytes));
        zip.Entries.Select(e => e.FullName).Should().Equal("0_build.txt", "1_test.txt");
        using var reader = new StreamReader(zip.Entries[1].Open());
        (await reader.ReadToEndAsync()).Should().Be("testing");
    }

    [Test]
    public async Task BlobHost_RequestWithAnAuthorizationHeader_IsRefused()
    {
        _run.AddJob("build", "building");
        var job = _run.Jobs.Single();
        var location = await RedirectTarget($"/repos/acme/api/actions/jobs/{job.Id}/logs");
        using var client = SimulatorHarness.NewClient(_h.Sim.BaseAddress, allowRedirect: false);

        using var signed = await client.GetAsync(location);
        using var request = new HttpRequestMessage(HttpMethod.Get, location);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
        using var withToken = await client.SendAsync(request);

        signed.StatusCode.Should().Be(HttpStatusCode.OK);
        withToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await withToken.Content.ReadAsStringAsync()).Should().Contain("InvalidAuthenticationInfo");
    }

    [Test]
    public async Task Artifacts_ListedAndDownloaded_AreZips_ExpiredOnesGone()
    {
        var zipBytes = MakeZip("report.txt", "all green");
        var artifact = _run.AddArtifact("report", zipBytes);
        var old = _run.AddArtifact("old", MakeZip("x.txt", "x"));
        old.Expire();

        using var list = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/runs/{_run.Id}/artifacts", _token);
        using var single = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/artifacts/{artifact.Id}", _token);
        var location = await RedirectTarget($"/repos/acme/api/actions/artifacts/{artifact.Id}/zip");
        using var client = SimulatorHarness.NewClient(_h.Sim.BaseAddress, allowRedirect: false);
        var downloaded = await client.GetByteArrayAsync(location);
        using var gone = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/artifacts/{old.Id}/zip", _token);

        var body = await SimulatorHarness.ReadJsonAsync(list);
        body["total_count"]!.GetValue<int>().Should().Be(2);
        var json = await SimulatorHarness.ReadJsonAsync(single);
        json["name"]!.GetValue<string>().Should().Be("report");
        json["size_in_bytes"]!.GetValue<long>().Should().Be(zipBytes.Length);
        json["expired"]!.GetValue<bool>().Should().BeFalse();
        json["archive_download_url"]!.GetValue<string>().Should().EndWith($"/actions/artifacts/{artifact.Id}/zip");
        json["workflow_run"]!["id"]!.GetValue<long>().Should().Be(_run.Id);
        downloaded.Should().Equal(zipBytes);
        gone.StatusCode.Should().Be(HttpStatusCode.Gone);
    }

    [Test]
    public async Task Artifacts_ClockPassesTheirRetention_Expire()
    {
        var artifact = _run.AddArtifact("report", MakeZip("a.txt", "a"));
        var pat = _h.Sim.AddPersonalAccessToken();
        _h.Time.Advance(TimeSpan.FromDays(91));

        using var gone = await _h.SendAsync(HttpMethod.Get, $"/repos/acme/api/actions/artifacts/{artifact.Id}/zip", pat);

        gone.StatusCode.Should().Be(HttpStatusCode.Gone);
        artifact.Expired.Should().BeTrue();
    }

    private static byte[] MakeZip(string name, string content)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), Encoding.UTF8);
            writer.Write(content);
        }

        return memory.ToArray();
    }
}
