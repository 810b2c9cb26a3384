using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Igor.GitHubActions.Security;

internal static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddSecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddOptions<FiatOptions>().BindConfiguration(FiatOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FiatOptions>, FiatOptionsValidator>();
        services.AddSingleton<SecretRedactor>();
        services.AddSingleton<FiatPermissions>();
        services.AddIgorPolicies();
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<IOptions<SecurityOptions>>((kestrel, security) => ClientCertificates.ConfigureKestrel(kestrel, security.Value.ClientCertificates));

        // A timeout and one retry of the read: Fiat's answer gates every call, so a slow Fiat fails fast as 503.
        services.AddRefitGeneratedClient<IFiatApi>()
            .ConfigureHttpClient((sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<FiatOptions>>().Value.BaseUrl ?? new Uri("http://localhost/"))
            .AddResilienceHandler("fiat", (builder, context) =>
            {
                var timeout = context.ServiceProvider.GetRequiredService<IOptions<FiatOptions>>().Value.RequestTimeout;
                builder.AddTimeout(timeout);
                builder.AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions { MaxRetryAttempts = 1, Delay = TimeSpan.FromMilliseconds(100) });
                builder.AddTimeout(timeout / 2);
            });
        return services;
    }

    /// <summary>
    /// Puts every logging provider registered so far behind the <see cref="SecretRedactor"/>. Called last, after the
    /// host (and a test or demo host) has added its providers. When the configuration cannot be read (start-up is
    /// then refused anyway), token- and key-shaped text is still masked.
    /// </summary>
    public static IServiceCollection RedactLogs(this IServiceCollection services)
    {
        var providers = services.Where(d => d.ServiceType == typeof(ILoggerProvider) && !d.IsKeyedService).ToArray();
        foreach (var descriptor in providers)
        {
            services.Remove(descriptor);
            services.AddSingleton<ILoggerProvider>(sp => new RedactingLoggerProvider(Create(sp, descriptor), () => Redaction(sp)));
        }

        return services;
    }

    private static ILoggerProvider Create(IServiceProvider services, ServiceDescriptor descriptor) => (ILoggerProvider)(
        descriptor.ImplementationInstance ??
        descriptor.ImplementationFactory?.Invoke(services) ??
        ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    private static Func<string, string> Redaction(IServiceProvider services)
    {
        try
        {
            return services.GetRequiredService<SecretRedactor>().Redact;
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException or FormatException)
        {
            return SecretRedactor.RedactShapes;
        }
    }

    /// <summary>Routing, then each endpoint's declared policy (<see cref="IgorPolicies"/>): the caller, then Fiat.</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseRouting();
        app.UseAuthorization();
        return app;
    }
}
