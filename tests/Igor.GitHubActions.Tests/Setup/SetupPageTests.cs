using SimulatorHost = global::Igor.GitHubActions.Testing.GitHubSimulator;
using System.Net;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Setup;

/// <summary>
/// The first start with no master: /setup registers the GitHub App through GitHub's manifest flow (the simulator plays
/// github.com's pages and the code conversion), writes the configuration and restarts into a working master.
/// </summary>
[CancelAfter(120_000)]
public sealed class SetupPageTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";

    private SimulatorHost _gitHub = null!;
    private string _directory = null!;
    private string _configFile = null!;
    private Uri _service = null!;
    private CancellationTokenSource _stop = null!;
    private Task _run = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task SetUp()
    {
        _gitHub = await SimulatorHost.StartAsync();
        SampleSeed.Seed(_gitHub);
        _directory = TestPaths.NewScratchDirectory();
        _configFile = Path.Combine(_directory, "igor.yml");
        _service = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
        _stop = new CancellationTokenSource();
        _http = new HttpClient { BaseAddress = _service };
        _run = global::Igor.GitHubActions.IgorGitHubActionsHost.RunAsync(
        [
            $"--urls={_service.ToString().TrimEnd('/')}", $"--config={_configFile}", $"--Setup:Token={Token}",
            $"--State:Sqlite:Path={Path.Combine(_directory, "igor.db")}", "--GitHub:ReconciliationInterval=00:00:00",
        ], _stop.Token);
        await Poll.UntilAsync(async () => await StatusAsync("setup") == HttpStatusCode.OK);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
        _http.Dispose();
        await _gitHub.DisposeAsync();
    }

    [Test]
    public async Task SetupPage_InChromium_CreatesTheAppWritesTheConfigurationAndRestartsIntoAWorkingMaster()
    {
        using (var before = await _http.GetAsync("masters"))
        {
            before.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "nothing but /setup works in setup mode");
            (await before.Content.ReadAsStringAsync()).Should().Contain("no GitHub master is configured: open /setup");
        }


        await using (var browser = await HeadlessChromium.LaunchAsync())
        {
            var page = await browser.NewPageAsync();
            await page.GoToAsync(new Uri(_service, "setup").ToString());
            await page.TypeAsync("#token", Token);
            await page.EvaluateExpressionAsync($"document.querySelector('#github').value = '{_gitHub.BaseAddress}'");
            await page.TypeAsync("#organization", "acme");
            await page.TypeAsync("#repositories", "acme/*");
            await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#continue"));
            (await page.GetContentAsync()).Should().Contain("Create the App on GitHub").And.Contain("webhooks/github");

            await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#create-on-github"));
            var gitHubPage = await page.GetContentAsync();
            page.Url.Should().StartWith(new Uri(_gitHub.BaseAddress, "organizations/acme/settings/apps/new").ToString());
            gitHubPage.Should().Contain("actions: write").And.Contain("contents: read").And.Contain("deployments: write").And.Contain("statuses: write")
                .And.Contain("workflow_run").And.Contain("deployment").And.Contain(new Uri(_service, "webhooks/github").ToString());

            await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#create"));
            page.Url.Should().StartWith(new Uri(_service, "setup/callback").ToString());
            var done = await page.GetContentAsync();
            done.Should().Contain("The GitHub App is ready").And.Contain("/installations/new").And.Contain(_configFile);
        }

        var app = _gitHub.Apps.Single();
        app.Permissions.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["actions"] = "write", ["contents"] = "read", ["deployments"] = "write", ["statuses"] = "write", ["metadata"] = "read",
        });
        app.Events.Should().BeEquivalentTo("workflow_run", "deployment");
        var yaml = await File.ReadAllTextAsync(_configFile);
        yaml.Should().Contain($"AppId: \"{app.AppId}\"").And.Contain("BEGIN RSA PRIVATE KEY").And.Contain($"WebhookSecret: \"{app.WebhookSecret}\"")
            .And.Contain("\"acme/*\"").And.Contain(_gitHub.EnterpriseApiUrl.ToString());
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(_configFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the file holds the App's key");
        }

        File.Exists(Path.Combine(_directory, ".igor-setup-token")).Should().BeFalse("the token is of no use once the service is configured");

        // Normal mode on the file just written: the master is there, /setup is gone, and the App works once installed.
        await Poll.UntilAsync(async () => await StatusAsync("masters") == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        (await _http.GetStringAsync("masters")).Should().Be("[\"github-actions\"]");
        (await StatusAsync("setup")).Should().Be(HttpStatusCode.NotFound);
        app.Install(SampleSeed.Owner);
        (await _http.GetStringAsync("jobs/github-actions")).Should().Contain("acme/api/deploy.yml").And.Contain("acme/web/pages.yml");

        // GitHub's webhook goes to the service with the secret GitHub generated: it is accepted.
        _gitHub.Webhooks.Url.Should().Be(new Uri(_service, "webhooks/github"));
        var run = _gitHub.GetRepository("acme", "api").GetWorkflow("build.yml").CreateRun();
        run.Start();
        run.Complete("success");
        await Poll.UntilAsync(() => _gitHub.Webhooks.Deliveries.Any(d => d.Event == "workflow_run" && d.StatusCode == 202));
    }

    [Test]
    public async Task SetupPage_WrongToken_IsRefusedAndNothingLeavesForGitHub()
    {
        using var response = await _http.PostAsync("setup/manifest", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = "not-the-token", ["github"] = _gitHub.BaseAddress.ToString(), ["publicUrl"] = _service.ToString(),
            ["master"] = "github-actions", ["repositories"] = "acme/*",
        }));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("token: not the setup token").And.NotContain(Token);
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("form-action 'self'");
    }

    [Test]
    public async Task SetupPage_BadRepositories_NamesTheField()
    {
        using var response = await _http.PostAsync("setup/manifest", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = Token, ["github"] = "https://github.com", ["publicUrl"] = _service.ToString(), ["master"] = "github-actions", ["repositories"] = "acme",
        }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("repositories: &#39;acme&#39; is not owner/repo or owner/*");
    }

    [Test]
    public async Task Callback_WithAStateNeverIssued_IsRefusedWithoutAskingGitHub()
    {
        using var response = await _http.GetAsync("setup/callback?code=abc&state=forged");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        _gitHub.Requests.Should().NotContain(r => r.Path.Contains("app-manifests", StringComparison.Ordinal));
        File.Exists(_configFile).Should().BeFalse();
    }

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        try
        {
            using var response = await _http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

}

/// <summary>A configured service never serves the setup page.</summary>
[CancelAfter(60_000)]
public sealed class SetupPageOffTests
{
    [Test]
    public async Task Setup_WithAMasterConfigured_Answers404()
    {
        await using var scenario = await GitHubScenario.CreateAsync();

        using var page = await scenario.Client.GetAsync("setup");
        using var callback = await scenario.Client.GetAsync("setup/callback?code=abc&state=def");

        page.StatusCode.Should().Be(HttpStatusCode.NotFound);
        callback.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
