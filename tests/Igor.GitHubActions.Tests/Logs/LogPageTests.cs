using System.Net;
using Igor.GitHubActions.Testing;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Logs;

/// <summary>The log page a build's url points at: rendered in a real headless Chromium, escaped, honest about running runs.</summary>
[CancelAfter(120_000)]
public sealed class LogPageTests : ScenarioTest
{
    private static readonly string BuildLog = string.Join('\n',
        "\uFEFF2026-11-24T10:00:00.1000000Z ##[group]Run actions/checkout@v4",
        "2026-11-24T10:00:00.2000000Z with:",
        "2026-11-24T10:00:00.3000000Z   repository: acme/api",
        "2026-11-24T10:00:00.4000000Z ##[endgroup]",
        "2026-11-24T10:00:01.0000000Z \u001b[32mSyncing repository: acme/api\u001b[0m",
        "2026-11-24T10:00:02.0000000Z \u001b[1;31mbold red\u001b[0m and \u001b[38;5;208mcolour 208\u001b[0m and <script>alert('x')</script>",
        "2026-11-24T10:00:03.0000000Z ##[group]Run make test",
        "2026-11-24T10:00:03.1000000Z \u001b[36;1mmake test\u001b[0m",
        "2026-11-24T10:00:03.2000000Z ##[endgroup]",
        "2026-11-24T10:00:04.0000000Z FAIL TestCheckout (0.01s)",
        "2026-11-24T10:00:05.0000000Z ##[error]Process completed with exit code 2.");

    private SimulatedRun _run = null!;

    [SetUp]
    public void SetUpFixture()
    {
        _run = Scenario.Api.GetWorkflow("build.yml").CreateRun();
        _run.Start();
        _run.AddJob("lint", "2026-11-24T10:00:00.0000000Z all clean\n");
        var test = _run.AddJob("test", BuildLog, conclusion: null);
        test.AddStep("make test", "failure");
        test.Complete("failure");
        _run.Complete("failure");
    }

    private Uri Page => new(Scenario.Service!.BaseAddress, $"logs/{GitHubScenario.Master}/acme/api/{_run.Id}/");

    [Test]
    public async Task LogPage_InHeadlessChromium_RendersGroupsColoursAndTheFailedStepOpen()
    {
        var dom = await HeadlessChromium.DumpDomAsync(Page);
        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "log-page.png");
        await HeadlessChromium.ScreenshotAsync(Page, screenshot);
        await TestContext.Out.WriteLineAsync($"log page screenshot: {screenshot}");
        TestContext.AddTestAttachment(screenshot, "the log page of a failed run");

        dom.Should().Contain("<details class=\"job failed\" open=\"\">", "a failed job opens");
        dom.Should().Contain("<details class=\"job success\"><summary>", "a successful job stays folded");
        dom.Should().Contain("<details class=\"group failed\" open=\"\"><summary><span class=\"ts\">2026-11-24T10:00:03.0000000Z </span>Run make test</summary>");
        dom.Should().Contain("<details class=\"group\"><summary><span class=\"ts\">2026-11-24T10:00:00.1000000Z </span>Run actions/checkout@v4</summary>");
        dom.Should().Contain("<span class=\"f2\">Syncing repository: acme/api</span>");
        dom.Should().Contain("<span class=\"b f1\">bold red</span>");
        dom.Should().Contain("<span style=\"color:#ff8700;\">colour 208</span>");
        dom.Should().Contain("&lt;script&gt;alert('x')&lt;/script&gt;").And.NotContain("<script>alert");
        dom.Should().Contain("<div class=\"line error\">");
        dom.Should().Contain($"href=\"{Scenario.GitHub.BaseAddress}acme/api/actions/runs/{_run.Id}\"");
        var png = await File.ReadAllBytesAsync(screenshot);
        png.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        png.Length.Should().BeGreaterThan(10_000);
    }

    [Test]
    public async Task LogPage_IsSelfContained_AndEscapesEverything()
    {
        using var response = await Scenario.Client.GetAsync(Page);
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().NotContainAny("<link", "src=\"http", "@import", "<script src");
        html.Should().Contain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        html.Should().Contain("id=\"show-ts\"").And.Contain("#show-ts:checked~main .ts{display:inline}");
    }

    [Test]
    public async Task LogPage_HostileJobStepAndGroupNames_StayText_AndTheCspAllowsOnlyThePagesOwnScript()
    {
        var run = Scenario.Api.GetWorkflow("build.yml").CreateRun();
        run.Start();
        var job = run.AddJob("<img src=x onerror=alert(1)>", string.Join('\n',
            "2026-11-24T10:00:00.0000000Z ##[group]</summary></details><script>alert(3)</script><details>",
            "2026-11-24T10:00:01.0000000Z inside",
            "2026-11-24T10:00:02.0000000Z ##[endgroup]",
            "2026-11-24T10:00:03.0000000Z ##[error]<iframe src=\"https://evil.example\"></iframe>"), conclusion: null);
        job.AddStep("\"><script>alert(2)</script>", "failure");
        job.Complete("failure");
        run.Complete("failure");
        var page = new Uri(Scenario.Service!.BaseAddress, $"logs/{GitHubScenario.Master}/acme/api/{run.Id}/");

        using var response = await Scenario.Client.GetAsync(page);
        var html = await response.Content.ReadAsStringAsync();
        var dom = await HeadlessChromium.DumpDomAsync(page);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("default-src 'none'").And.Contain("base-uri 'none'").And.NotContain("'unsafe-inline'; script-src")
            .And.NotMatchRegex("script-src[^;]*unsafe-inline");
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script>(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline);
        scripts.Should().ContainSingle("the page has one script of its own");
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(scripts[0].Groups[1].Value)));
        csp.Should().Contain($"script-src 'sha256-{hash}'", "only the page's own script may run");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        html.Should().Contain("&lt;img src=x onerror=alert(1)&gt;").And.Contain("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;")
            .And.Contain("&lt;/summary&gt;&lt;/details&gt;&lt;script&gt;alert(3)&lt;/script&gt;").And.Contain("&lt;iframe");
        dom.Should().NotContain("<img").And.NotContain("<iframe").And.NotContain("alert(1)>").And.NotContain("<script>alert");
        System.Text.RegularExpressions.Regex.Matches(dom, "<script").Should().HaveCount(1);
    }

    [Test]
    public async Task LogPage_RunningRun_ShowsJobStatusAndTheNoLiveStreamNote()
    {
        var running = Scenario.Api.GetWorkflow("ci.yml").CreateRun();
        running.Start();
        running.AddJob("build", "2026-11-24T10:00:00.0000000Z compiling\n", conclusion: null);

        var html = await Scenario.Client.GetStringAsync($"logs/{GitHubScenario.Master}/acme/api/{running.Id}");

        html.Should().Contain("<span class=\"state\">in_progress</span> build");
        html.Should().Contain("GitHub's API has no live log stream").And.Contain("http-equiv=\"refresh\"");
    }

    [Test]
    public async Task LogPage_AnEndlessLine_IsCutWithAVisibleMarker_AndTheNextLineStillShows()
    {
        var run = Scenario.Api.GetWorkflow("ci.yml").CreateRun();
        run.AddJob("flood", "2026-11-24T10:00:00.0000000Z " + new string('w', 300_000) + "\n2026-11-24T10:00:01.0000000Z after the flood\n");
        run.Complete("success");

        var html = await Scenario.Client.GetStringAsync($"logs/{GitHubScenario.Master}/acme/api/{run.Id}");

        html.Should().Contain("[line cut: longer than 65,536 characters]").And.Contain("after the flood");
        html.Length.Should().BeLessThan(200_000, "the page holds the cut line, not the 300,000 characters");
    }

    [Test]
    public async Task LogPage_RepositoryOfNoMasterOrJobOfAnotherRun_Answers404()
    {
        var other = Scenario.Api.GetWorkflow("ci.yml").CreateRun();
        var otherJob = other.AddJob("x", "secret\n");

        using var wrongRepository = await Scenario.Client.GetAsync($"logs/{GitHubScenario.Master}/acme/secret/{_run.Id}/");
        using var wrongJob = await Scenario.Client.GetAsync($"logs/{GitHubScenario.Master}/acme/api/{_run.Id}/jobs/{otherJob.Id}/raw");

        wrongRepository.StatusCode.Should().Be(HttpStatusCode.NotFound);
        wrongJob.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task ConsoleText_FinishedRun_IsEveryJobLogAsPlainText()
    {
        var text = await Scenario.Client.GetStringAsync($"logs/{GitHubScenario.Master}/acme/api/{_run.Id}/consoleText");

        text.Should().Contain("===== lint (success) =====").And.Contain("all clean").And.Contain("Process completed with exit code 2.");
    }
}
