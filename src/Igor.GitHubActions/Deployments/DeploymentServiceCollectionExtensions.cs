using Igor.GitHubActions.Echo;

namespace Igor.GitHubActions.Deployments;

internal static class DeploymentServiceCollectionExtensions
{
    public static IServiceCollection AddDeployments(this IServiceCollection services)
    {
        services.AddOptions<DeploymentStatusOptions>().BindConfiguration(DeploymentStatusOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DeploymentStatusOptions>, DeploymentStatusOptionsValidator>();
        services.AddKeyedSingleton<WorkSignal>(DeploymentStatusSender.SignalKey);
        services.AddSingleton<DeploymentStatusTracker>();
        services.AddHostedService<DeploymentStatusSender>();
        return services;
    }

    public static IEndpointRouteBuilder MapDeploymentEndpoints(this IEndpointRouteBuilder routes) => routes.MapEchoEventEndpoints();
}
