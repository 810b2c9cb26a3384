namespace Igor.GitHubActions.Setup;

/// <summary>
/// Setup mode: the service started with no master serves only <c>/setup</c> (and <c>/health</c>, DOWN), registers a
/// GitHub App through GitHub's manifest flow, writes the configuration file and stops, so that the entry point
/// starts the service on that file. A service with a master never maps these routes.
/// </summary>
internal static partial class GitHubAppSetup
{
    public static WebApplication Build(WebApplicationBuilder builder, string configFile)
    {
        var tokenFile = SetupTokenFile.Create(configFile, builder.Configuration["Setup:Token"]);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(tokenFile);
        builder.Services.AddSingleton(services => new SetupState(configFile, tokenFile.Token, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddHttpClient(SetupEndpoints.HttpClientName).ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(30));
        var app = builder.Build();
        app.MapSetupEndpoints();
        app.MapGet("/health", () => TypedResults.Json(
            Igor.Endpoints.HealthAnswer.Down("setup", "no GitHub master is configured: open /setup"), Igor.Http.ServiceJsonContext.Default.HealthAnswer, statusCode: 503));
        app.MapFallback(() => Igor.Http.IgorErrors.Result(
            StatusCodes.Status503ServiceUnavailable,
            $"no GitHub master is configured: open /setup on this service to create the GitHub App (or configure GitHub:Masters in {configFile})"));
        return app;
    }

    /// <summary>Serves the setup page until it has written the configuration (true) or the process is stopped (false).</summary>
    public static async Task<bool> RunUntilConfiguredAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await IgorGitHubActionsHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
        var state = app.Services.GetRequiredService<SetupState>();
        var tokenFile = app.Services.GetRequiredService<SetupTokenFile>();
        var logger = app.Services.GetRequiredService<ILogger<SetupState>>();
        foreach (var url in app.Urls)
        {
            Log.Waiting(logger, url.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal).TrimEnd('/') + "/setup", tokenFile.Path, state.ConfigFile);
        }

        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        if (state.Configured)
        {
            tokenFile.Delete();
        }

        return state.Configured && !cancellationToken.IsCancellationRequested;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No GitHub master is configured. Open {SetupUrl} to create the GitHub App; the setup token is in {TokenFile}; the configuration will be written to {ConfigFile}")]
        public static partial void Waiting(ILogger logger, string setupUrl, string tokenFile, string configFile);
    }
}
