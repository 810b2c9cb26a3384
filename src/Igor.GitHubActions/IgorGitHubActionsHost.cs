using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Deployments;
using Igor.GitHubActions.GitHub;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.State;
using Igor.GitHubActions.Echo;
using Igor.GitHubActions.Operations;
using Igor.GitHubActions.PassThrough;
using Igor.GitHubActions.Stages;
using Igor.GitHubActions.Security;
using Igor.GitHubActions.Webhooks;

namespace Igor.GitHubActions;

/// <summary>Builds the service; Program, the tests and the demo host all start it through here.</summary>
public static class IgorGitHubActionsHost
{
    public const int DefaultPort = 8088;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Quiet framework logging by default, also where appsettings.json is not in the content root (the demo host,
        // a binary started from another directory); any configuration source still overrides it.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
                ["Logging:LogLevel:Polly"] = "Warning",
            },
        });
        var configFile = builder.Configuration["config"];
        if (!string.IsNullOrEmpty(configFile))
        {
            // The YAML file sits under the environment variables and command line, which still override it.
            builder.Configuration.Sources.Insert(Math.Max(0, builder.Configuration.Sources.Count - 2), new YamlConfigurationSource(configFile));
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls($"http://0.0.0.0:{DefaultPort}");
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddIgorApi();
        builder.Services.AddStateStore();
        builder.Services.AddGitHubMasters();
        builder.Services.AddEcho();
        builder.Services.AddWebhooks();
        builder.Services.AddOperations(builder.Configuration);
        builder.Services.AddPassThrough();
        builder.Services.AddDeployments();
        builder.Services.AddStages();
        builder.Services.AddSecurity();
        configure?.Invoke(builder);
        builder.Services.RedactLogs();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseOperations();
        app.UseSecurity();
        app.MapIgorEndpoints();
        app.MapWebhookEndpoints();
        app.MapOperationsEndpoints();
        app.MapPassThrough();
        app.MapDeploymentEndpoints();
        app.MapStageEndpoints();
        return app;
    }
}
