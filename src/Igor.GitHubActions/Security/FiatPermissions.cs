using System.Collections.Concurrent;
using System.Net;
using Igor.GitHubActions.Igor.Http;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Security;

/// <summary>
/// Users' permissions read from Fiat and kept briefly (Igor's FiatPermissionEvaluator caches them too). Fiat being
/// unreachable or failing is a 503, so the service fails closed and Orca retries.
/// </summary>
internal sealed partial class FiatPermissions(IFiatApi fiat, IOptions<FiatOptions> options, TimeProvider time, ILogger<FiatPermissions> logger)
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (FiatUserPermission? Permission, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The user's permissions, or null when Fiat does not know the user.</summary>
    public async Task<FiatUserPermission?> GetAsync(string user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(user, out var cached) && cached.Until > now)
        {
            return cached.Permission;
        }

        HttpStatusCode status;
        bool unreadable;
        FiatUserPermission? permission;
        try
        {
            var answer = await fiat.GetUserPermissionAsync(user, cancellationToken).ConfigureAwait(false);
            using (answer)
            {
                status = answer.StatusCode ?? throw new HttpRequestException("no answer", answer.Error);
                unreadable = answer.Error is not null && answer.IsSuccessStatusCode;
                permission = answer.IsSuccessStatusCode && answer.Error is null ? answer.Content : null;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.Unreachable(logger, e.GetType().Name);
            throw IgorException.Unavailable("Fiat could not be reached to check the user's permissions (Fiat:BaseUrl); retry later");
        }

        if (status == HttpStatusCode.NotFound)
        {
            Remember(user, null, now);
            return null;
        }

        if (permission is null)
        {
            Log.Failed(logger, (int)status);
            throw IgorException.Unavailable(
                $"Fiat answered {(int)status}{(unreadable ? " with an unreadable body" : "")} when asked for the user's permissions; retry later");
        }

        Remember(user, permission, now);
        return permission;
    }

    private void Remember(string user, FiatUserPermission? permission, DateTimeOffset now)
    {
        var duration = options.Value.CacheDuration;
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        if (_cache.Count >= MaxEntries)
        {
            // Many distinct users (or a caller making names up): start over rather than grow without bound.
            _cache.Clear();
        }

        _cache[user] = (permission, now + duration);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Fiat could not be reached ({Error}); permission checks answer 503")]
        public static partial void Unreachable(ILogger logger, string error);

        [LoggerMessage(2, LogLevel.Warning, "Fiat answered {StatusCode} to a permission read; permission checks answer 503")]
        public static partial void Failed(ILogger logger, int statusCode);
    }
}
