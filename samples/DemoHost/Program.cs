using Igor.GitHubActions;
using Igor.GitHubActions.DemoHost;
using Igor.GitHubActions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

// The service on its embedded defaults (SQLite under ./data, port 8088) in front of the GitHub simulator, seeded with
// the sample organisation "acme", whose runners, webhooks and Echo the demo plays: see the README's "try it".
// Not for production: the simulator is test code.
var settings = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
var stepTime = TimeSpan.FromSeconds(settings.GetValue("Demo:StepSeconds", 2.0));
var console = new DemoConsole(Console.Out);

var simulatorOptions = new GitHubSimulatorOptions { Url = settings["Demo:GitHubUrl"] ?? "http://127.0.0.1:8090" };
GitHubSimulator gitHub;
try
{
    gitHub = await GitHubSimulator.StartAsync(simulatorOptions);
}
catch (IOException)
{
    // Only the curl examples that talk to "GitHub" use its port; any free one will do.
    simulatorOptions.Url = "http://127.0.0.1:0";
    gitHub = await GitHubSimulator.StartAsync(simulatorOptions);
}

await using var simulator = gitHub;
var app = gitHub.CreateApp(1, "Iv23liDemoApp", "igor-demo");
var (api, web) = SampleSeed.Seed(gitHub);
api.AddWorkflow("test.yml", DemoWorkflows.Test);
app.Install(SampleSeed.Owner);
const string DemoToken = "ghp_demo00000000000000000000000000000000";
gitHub.AddPersonalAccessToken(DemoToken);

const string WebhookSecret = "demo-webhook-secret";
const string EventsSecret = "demo-events-secret";
await using var echo = await DemoEcho.StartAsync(console, stepTime * 2, EventsSecret);
var publicUrl = Reachable(settings["urls"] ?? settings["ASPNETCORE_URLS"] ?? $"http://localhost:{IgorGitHubActionsHost.DefaultPort}");

// The simulated GitHub starts empty every time (its ids start again), so the demo's store does too.
var statePath = settings["State:Sqlite:Path"] ?? Path.Combine(Path.GetTempPath(), $"igor-demo-{Environment.ProcessId}", "igor.db");

WebApplication service;
try
{
    service = IgorGitHubActionsHost.Build(args, builder =>
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GitHub:Masters:0:Name"] = "github-actions",
            ["GitHub:Masters:0:ApiUrl"] = gitHub.BaseAddress.ToString(),
            ["GitHub:Masters:0:AppId"] = "1",
            ["GitHub:Masters:0:PrivateKey"] = app.PrivateKeyPem,
            ["GitHub:Masters:0:Repositories:0"] = "acme/*",
            ["GitHub:WebhookSecret"] = WebhookSecret,
            ["State:Sqlite:Path"] = statePath,
            ["GitHub:ArtifactSettleTime"] = "00:00:05",
            ["Echo:BaseUrl"] = echo.BaseAddress.ToString(),
            ["Deployments:EventsSecret"] = EventsSecret,
            ["Spinnaker:LogPageUrl"] = publicUrl.ToString(),
            ["Spinnaker:DeckUrl"] = "http://localhost:9000",
            ["Logging:LogLevel:Igor.GitHubActions"] = "Warning",
        });
    });
    await IgorGitHubActionsHost.StartAsync(service);
}
catch (InvalidOperationException e) when (e.InnerException is IOException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

await using var running = service;
echo.Service = Reachable(service.Urls.First());
gitHub.Webhooks.Url = new Uri(echo.Service, "webhooks/github");
gitHub.Webhooks.Secret = WebhookSecret;
gitHub.Webhooks.DeliverWorkflowRuns = true;
gitHub.Webhooks.DeliverDeployments = true;

using var runner = new DemoRunner(gitHub, [api, web], console, stepTime);
runner.Start();
console.Banner($"""

    Igor for GitHub Actions: demo
      service           {publicUrl}   Igor's API, what Orca, Echo, Gate and Deck call (the README's "try it")
      simulated GitHub  {gitHub.BaseAddress}   repositories acme/api and acme/web; token {DemoToken}
      runners           every run starts at once; jobs build, test (deploy); test fails when the input fail is true
      stand-in Echo     prints what Spinnaker would receive as [echo] lines, and plays the pipeline a deployment triggers
      state             {statePath} (new at each start, as the simulated GitHub is)
    Ctrl+C stops it.

    """);

// A push to acme/api's main: the CI tab and the first workflow-finished build event have something to show.
api.GetWorkflow("build.yml").CreateRun();
await service.WaitForShutdownAsync();
return 0;

// The first of the listening addresses as a client reaches it: a wildcard host (0.0.0.0, [::], +, *) is localhost.
static Uri Reachable(string urls)
{
    var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
    foreach (var wildcard in new[] { "://0.0.0.0", "://[::]", "://+", "://*" })
    {
        first = first.Replace(wildcard, "://localhost", StringComparison.Ordinal);
    }

    return new Uri(first.TrimEnd('/') + "/");
}
