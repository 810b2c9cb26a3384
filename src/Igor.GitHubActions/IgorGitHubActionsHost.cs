namespace Igor.GitHubActions;

public static class IgorGitHubActionsHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapGet("/health", () => new { status = "UP" });
        return app;
    }
}
