using Microsoft.Extensions.Options;
using Polly;

namespace Igor.GitHubActions.PassThrough;

internal static class PassThroughServiceCollectionExtensions
{
    public static IServiceCollection AddPassThrough(this IServiceCollection services)
    {
        services.AddOptions<PassThroughOptions>().BindConfiguration(PassThroughOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PassThroughOptions>, PassThroughOptionsValidator>();
        services.AddHttpForwarder();
        services.AddSingleton<IgorForwarder>();
        services.AddSingleton<ExistingIgor>();
        services.AddSingleton<PassThroughStatus>();
        services.AddHostedService<MasterClashCheck>();

        // Listings only: a timeout and no retries, so a slow Igor cannot hold up our answer for long.
        services.AddHttpClient(ExistingIgor.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                var url = sp.GetRequiredService<IOptions<PassThroughOptions>>().Value.PassThroughUrl;
                client.BaseAddress = url is null ? null : new Uri(url.AbsoluteUri.TrimEnd('/') + "/");
            })
            .AddResilienceHandler("igor", (builder, context) =>
                builder.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<PassThroughOptions>>().Value.ListingTimeout));
        return services;
    }
}
