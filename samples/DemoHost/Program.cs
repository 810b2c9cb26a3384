using Igor.GitHubActions;
using Microsoft.Extensions.Configuration;
using Igor.GitHubActions.DemoHost;
using Igor.GitHubActions.GitHubSimulator;

// The service on its embedded defaults (SQLite under ./data, port 8088), in front of the GitHub simulator seeded with
// the sample organisation "acme": see the README for the curl calls. Not for production: the simulator is test code.
await using var gitHub = await GitHubSimulator.StartAsync();
var app = gitHub.CreateApp(1, "Iv23liDemoApp", "igor-demo");
var (api, web) = SampleSeed.Seed(gitHub);
app.Install(SampleSeed.Owner);

var service = IgorGitHubActionsHost.Build(args, builder =>
{
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["GitHub:Masters:0:Name"] = "github-actions",
        ["GitHub:Masters:0:ApiUrl"] = gitHub.BaseAddress.ToString(),
        ["GitHub:Masters:0:AppId"] = "1",
        ["GitHub:Masters:0:PrivateKey"] = app.PrivateKeyPem,
        ["GitHub:Masters:0:Repositories:0"] = "acme/*",
    });
});

using var runner = new DemoRunner([api, web], TimeSpan.FromSeconds(20));
runner.Start();
await service.RunAsync();
