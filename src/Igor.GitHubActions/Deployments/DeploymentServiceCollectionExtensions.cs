using Igor.GitHubActions.Echo;

namespace Igor.GitHubActions.Deployments;

internal static class DeploymentServiceCollectionExtensions
{
    public static IServiceCollection AddDeployments(this IServiceCollection services)
    {
        services.AddOptions<DeploymentStatusOptions>().BindConfiguration(DeploymentStatusOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .Validate(o => ValidState(o.States.Starting) && ValidState(o.States.Succeeded) && ValidState(o.States.Failed) && ValidState(o.States.Canceled),
                $"Deployments:States values must be empty or one of {string.Join(", ", DeploymentStateMapping.GitHubStates)}")
            .Validate(o => o.EnvironmentUrlName.Length is > 0 and <= 100, "Deployments:EnvironmentUrlName must be a parameter or output name");
        services.AddKeyedSingleton<WorkSignal>(DeploymentStatusSender.SignalKey);
        services.AddSingleton<DeploymentStatusTracker>();
        services.AddHostedService<DeploymentStatusSender>();
        return services;
    }

    public static IEndpointRouteBuilder MapDeploymentEndpoints(this IEndpointRouteBuilder routes) => routes.MapEchoEventEndpoints();

    private static bool ValidState(string? state) => string.IsNullOrEmpty(state) || DeploymentStateMapping.GitHubStates.Contains(state, StringComparer.Ordinal);
}
