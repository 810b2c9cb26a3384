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
using Igor.GitHubActions.Setup;
using Igor.GitHubActions.Webhooks;

namespace Igor.GitHubActions;

/// <summary>Builds the service; Program, the tests and the demo host all start it through here.</summary>
public static class IgorGitHubActionsHost
{
    public const int DefaultPort = 8088;

    /// <summary>
    /// The production entry point: the service, or, when no master is configured, the GitHub App setup page
    /// (<c>/setup</c>) until it has written the configuration file, then the service on that file.
    /// </summary>
    public static async Task RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var configFile = ConfigFile(args);
        var builder = CreateBuilder(args, readConfigFile: File.Exists(configFile));
        if (!HasMasters(builder.Configuration))
        {
            await using var setup = GitHubAppSetup.Build(builder, Path.GetFullPath(configFile));
            if (!await GitHubAppSetup.RunUntilConfiguredAsync(setup, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            args = [.. WithoutConfig(args), $"--config={configFile}"];
            builder = CreateBuilder(args, readConfigFile: true);
        }

        await using var app = Build(builder);
        await StartAsync(app, cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the app; a port in use becomes one message that names it and how to choose another.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(PortTakenMessage(app.Configuration, e), e);
        }
    }

    /// <summary>What to say when the port is taken: which address, and how to choose another.</summary>
    public static string PortTakenMessage(IConfiguration configuration, Exception e) =>
        $"{e.Message} Another process has that port: stop it, or start this one on another, e.g. --urls http://localhost:{DefaultPort + 11} (or ASPNETCORE_URLS, or urls in the configuration file); configured: {configuration["urls"] ?? $"http://0.0.0.0:{DefaultPort}"}";

    /// <summary>The configuration file of <c>--config</c> (also <c>--config=FILE</c>), or <c>igor-github-actions.yml</c> in the working directory.</summary>
    internal static string ConfigFile(string[] args) =>
        new ConfigurationBuilder().AddCommandLine(args).Build()["config"] is { Length: > 0 } file ? file : DefaultConfigFile;

    private static IEnumerable<string> WithoutConfig(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--config" or "/config")
            {
                i++;
            }
            else if (!args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                yield return args[i];
            }
        }
    }

    internal const string DefaultConfigFile = "igor-github-actions.yml";

    internal static bool HasMasters(IConfiguration configuration) => configuration.GetSection("GitHub:Masters").GetChildren().Any();

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        Build(CreateBuilder(args, readConfigFile: true), configure);

    internal static WebApplicationBuilder CreateBuilder(string[] args, bool readConfigFile)
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
        var configFile = builder.Configuration["config"] is { Length: > 0 } given ? given : File.Exists(DefaultConfigFile) ? DefaultConfigFile : null;
        if (readConfigFile && configFile is not null)
        {
            // The YAML file sits under the environment variables and command line, which still override it.
            builder.Configuration.Sources.Insert(Math.Max(0, builder.Configuration.Sources.Count - 2), new YamlConfigurationSource(configFile));
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls($"http://0.0.0.0:{DefaultPort}");
        }

        return builder;
    }

    internal static WebApplication Build(WebApplicationBuilder builder, Action<WebApplicationBuilder>? configure = null)
    {

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
