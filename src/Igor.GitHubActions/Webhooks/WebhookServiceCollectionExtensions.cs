using Igor.GitHubActions.Webhooks.Handlers;

namespace Igor.GitHubActions.Webhooks;

internal static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<IWebhookHandler, WorkflowRunHandler>();
        services.AddSingleton<IWebhookHandler, DeploymentHandler>();
        services.AddSingleton<IWebhookHandler, InstallationHandler>();
        services.AddSingleton<WebhookHandlers>();
        services.AddHostedService<WebhookProcessor>();
        services.AddHostedService<Reconciler>();
        return services;
    }
}
