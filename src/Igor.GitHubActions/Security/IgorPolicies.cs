using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Igor.GitHubActions.Security;

/// <summary>
/// The security policy of the routes, declared on them: every endpoint needs an admitted caller (the fallback policy)
/// unless it is <c>AllowAnonymous</c>; the Igor routes naming a master also need Fiat's permission (<see cref="Fiat"/>).
/// </summary>
internal static class IgorPolicies
{
    /// <summary>An admitted caller, and Fiat's READ or WRITE on the route's master.</summary>
    public const string Fiat = "fiat";

    public static TBuilder RequireFiat<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Fiat);

    public static IServiceCollection AddIgorPolicies(this IServiceCollection services)
    {
        services.AddAuthentication(CallerAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, CallerAuthenticationHandler>(CallerAuthenticationHandler.SchemeName, null);
        var caller = new AuthorizationPolicyBuilder(CallerAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(caller)
            .AddPolicy(Fiat, policy => policy.Combine(caller).AddRequirements(new FiatRequirement()));
        services.AddSingleton<CallerCredentials>();
        services.AddSingleton<IAuthorizationHandler, FiatAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, IgorAuthorizationResultHandler>();
        return services;
    }
}

/// <summary>A Fiat denial as Igor's error body (403 with the reason); a missing caller goes to the caller scheme's 401.</summary>
internal sealed class IgorAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault() is { } reason
            ? Igor.Http.IgorErrors.WriteAsync(context, StatusCodes.Status403Forbidden, reason.Message)
            : _default.HandleAsync(next, context, policy, authorizeResult);
}
