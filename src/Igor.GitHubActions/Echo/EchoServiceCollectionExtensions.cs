using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Igor.GitHubActions.Echo;

internal static class EchoServiceCollectionExtensions
{
    public static IServiceCollection AddEcho(this IServiceCollection services)
    {
        services.AddOptions<EchoOptions>().BindConfiguration(EchoOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EchoOptions>, EchoOptionsValidator>();
        services.AddKeyedSingleton<WorkSignal>(WorkSignal.Outbox);
        services.AddKeyedSingleton<WorkSignal>(WorkSignal.Deliveries);
        services.AddSingleton<EchoOutbox>();

        // Only a timeout here: the outbox retries, so the handler must not (an Echo POST is not idempotent).
        services.AddRefitGeneratedClient<IEchoApi>()
            .ConfigureHttpClient((sp, client) =>
                client.BaseAddress = sp.GetRequiredService<IOptions<EchoOptions>>().Value.BaseUrl ?? new Uri("http://localhost/"))
            .AddResilienceHandler("echo", (builder, context) =>
                builder.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<EchoOptions>>().Value.RequestTimeout));
        services.AddHostedService<EchoForwarder>();
        return services;
    }
}
