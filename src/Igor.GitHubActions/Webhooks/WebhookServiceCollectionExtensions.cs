namespace Igor.GitHubActions.Webhooks;

internal static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookEventHandler>();
        services.AddHostedService<WebhookProcessor>();
        services.AddHostedService<Reconciler>();
        return services;
    }
}
