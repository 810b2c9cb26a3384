using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.GitHub.Apps;
using Octokit;
using Octokit.Caching;
using Octokit.Internal;
using Polly.Timeout;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>
/// One master's authenticated access to GitHub through Octokit: the App JWT client, one client per installation with
/// tokens from <see cref="InstallationTokenCache"/> (a rejected token is minted again once), or one token client; every
/// client shares the named HttpClient pipeline and an ETag cache. Every call goes through <see cref="CallAsync"/>, which
/// maps a failure to a <see cref="GitHubException"/>; downloads follow GitHub's redirect without the credentials.
/// </summary>
internal sealed partial class OctokitConnection : IDisposable
{
    private static readonly TimeSpan InstallationLookupLifetime = TimeSpan.FromMinutes(10);

    private readonly MasterOptions _master;
    private readonly GitHubOptions _options;
    private readonly Func<IHttpClient> _http;
    private readonly Func<HttpClient> _downloads;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RateLimitTracker _rateLimits;
    private readonly AppJwtFactory? _jwt;
    private readonly GitHubClient? _appClient;
    private readonly GitHubClient? _tokenClient;
    private readonly InstallationTokenCache? _tokens;
    private readonly ConcurrentDictionary<long, GitHubClient> _installationClients = new();

    /// <summary>One budget for the master's conditional-request cache, shared by its installations' clients.</summary>
    private readonly MemoryResponseCache _responses;
    private readonly ConcurrentDictionary<string, (long Id, DateTimeOffset At)> _installations = new(StringComparer.OrdinalIgnoreCase);

    public OctokitConnection(
        MasterOptions master, GitHubOptions options, Func<IHttpClient> http, TimeProvider time, RateLimitTracker rateLimits, ILogger logger,
        Func<HttpClient> downloads)
    {
        _master = master;
        _downloads = downloads;
        _options = options;
        _responses = new MemoryResponseCache(options.ResponseCacheBytes);
        _http = http;
        _time = time;
        _logger = logger;
        _rateLimits = rateLimits;
        if (master.UsesApp)
        {
            var pem = master.PrivateKey is { Length: > 0 } inline ? inline : File.ReadAllText(master.PrivateKeyPath!);
            _jwt = new AppJwtFactory(master.AppId!, pem, time);
            _appClient = CreateClient(() =>
            {
                var jwt = _jwt.GetJwt();
                _rateLimits.Register(jwt, master.Name, "app");
                return Task.FromResult(new Credentials(jwt, AuthenticationType.Bearer));
            });
            _tokens = new InstallationTokenCache(MintTokenAsync, time, options.TokenRenewalMargin);
        }
        else
        {
            var credentials = new Credentials(master.Token);
            rateLimits.Register(master.Token!, master.Name, "token");
            _tokenClient = CreateClient(() => Task.FromResult(credentials));
        }
    }

    public MasterOptions Master => _master;

    /// <summary>The App's own client (JWT), or null for a token master.</summary>
    public GitHubClient? AppClient => _appClient;

    /// <summary>The token master's client, or null for an App master.</summary>
    public GitHubClient? TokenClient => _tokenClient;

    public static Uri ApiBase(MasterOptions master)
    {
        var url = master.ApiUrl.ToString();
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }

    internal async Task<T> CallAsync<T>(
        string owner, string repository, string what, Func<IGitHubClient, Task<T>> call, CancellationToken cancellationToken, bool retryOnRejectedToken = true)
    {
        long? installation = null;
        try
        {
            IGitHubClient client;
            if (_tokenClient is not null)
            {
                client = _tokenClient;
            }
            else
            {
                installation = await GetInstallationAsync(owner, repository, cancellationToken).ConfigureAwait(false);
                client = InstallationClient(installation.Value);
            }

            try
            {
                return await call(client).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (AuthorizationException) when (installation is { } id && retryOnRejectedToken)
            {
                // A revoked or expired token: mint a new one once, then give up with a clear error.
                Log.TokenRejected(_logger, _master.Name, id);
                _tokens!.Invalidate(id);
                return await call(client).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var mapped = GitHubErrors.Map(e, _master.Name, what);
            if (mapped is GitHubException { Kind: GitHubFailureKind.Transient or GitHubFailureKind.Unexpected })
            {
                Log.GitHubCallFailed(_logger, _master.Name, what, mapped.Message);
            }

            throw mapped;
        }
    }

    private async Task<long> GetInstallationAsync(string owner, string repository, CancellationToken cancellationToken)
    {
        var key = $"{owner}/{repository}";
        if (_installations.TryGetValue(key, out var known) && _time.GetUtcNow() - known.At < InstallationLookupLifetime)
        {
            return known.Id;
        }

        try
        {
            var installation = await _appClient!.GitHubApps.GetRepositoryInstallationForCurrent(owner, repository)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            _installations[key] = (installation.Id, _time.GetUtcNow());
            return installation.Id;
        }
        catch (NotFoundException)
        {
            Log.AppNotInstalled(_logger, _master.Name, _master.AppId!, key);
            throw new GitHubException(
                GitHubFailureKind.NotInstalled,
                $"the GitHub App {_master.AppId} of master '{_master.Name}' is not installed on {key} (or the repository does not exist): install the App on it");
        }
    }

    internal async Task<IEnumerable<string>> ListInstalledRepositoriesAsync(string owner, CancellationToken cancellationToken)
    {
        try
        {
            var installations = await _appClient!.GitHubApps.GetAllInstallationsForCurrent().WaitAsync(cancellationToken).ConfigureAwait(false);
            var installation = installations.FirstOrDefault(i => string.Equals(i.Account.Login, owner, StringComparison.OrdinalIgnoreCase));
            if (installation is null)
            {
                Log.AppNotInstalled(_logger, _master.Name, _master.AppId!, owner + "/*");
                return [];
            }

            var response = await InstallationClient(installation.Id).GitHubApps.Installation
                .GetAllRepositoriesForCurrent(new ApiOptions { PageSize = 100 }).WaitAsync(cancellationToken).ConfigureAwait(false);
            return response.Repositories
                .Where(r => string.Equals(r.Owner.Login, owner, StringComparison.OrdinalIgnoreCase))
                .Select(r => r.FullName);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw GitHubErrors.Map(e, _master.Name, $"the repositories of {owner}");
        }
    }

    private GitHubClient InstallationClient(long installationId) =>
        _installationClients.GetOrAdd(installationId, id => CreateClient(async () =>
            new Credentials(await _tokens!.GetTokenAsync(id, CancellationToken.None).ConfigureAwait(false))));

    private async Task<InstallationToken> MintTokenAsync(long installationId, CancellationToken cancellationToken)
    {
        var token = await _appClient!.GitHubApps.CreateInstallationToken(installationId).WaitAsync(cancellationToken).ConfigureAwait(false);
        _rateLimits.Register(token.Token, _master.Name, installationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Log.TokenMinted(_logger, _master.Name, installationId, token.ExpiresAt);
        return new InstallationToken(token.Token, token.ExpiresAt);
    }

    private GitHubClient CreateClient(Func<Task<Credentials>> credentials)
    {
        var connection = new Connection(
            new Octokit.ProductHeaderValue("igor-github-actions"),
            ApiBase(_master),
            new DelegateCredentialStore(credentials),
            new CachingHttpClient(_http(), _responses),
            new SimpleJsonSerializer());
        return new GitHubClient(connection);
    }

    /// <summary>The permissions dispatching and following runs cannot do without, as GitHub names them (<c>actions=write</c>).</summary>
    internal static List<string> MissingPermissions(InstallationPermissions? permissions)
    {
        var missing = new List<string>();
        if (permissions is null)
        {
            return missing;
        }

        if (permissions.Actions?.StringValue is not "write")
        {
            missing.Add("actions=write");
        }

        if (permissions.Contents?.StringValue is not ("read" or "write"))
        {
            missing.Add("contents=read");
        }

        if (permissions.Metadata?.StringValue is not ("read" or "write"))
        {
            missing.Add("metadata=read");
        }

        return missing;
    }

    internal async Task<Stream> DownloadAsync(string owner, string repository, string path, string what, CancellationToken cancellationToken)
    {
        try
        {
            var location = await RedirectAsync(owner, repository, new Uri(ApiBase(_master), path), what, retryOnRejectedToken: true, cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, location);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("igor-github-actions", null));
            var response = await _downloads().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw status is >= 500 or 429 or 403
                    ? new GitHubException(GitHubFailureKind.Transient, $"GitHub's download host answered {status} for {what}; retry later", gitHubStatus: status)
                    : new GitHubException(GitHubFailureKind.Unexpected, $"GitHub's download host answered {status} for {what}", gitHubStatus: status);
            }

            return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.GitHubCallFailed(_logger, _master.Name, what, e.GetType().Name);
            throw new GitHubException(GitHubFailureKind.Transient, $"GitHub could not be reached for {what} (master '{_master.Name}'); retry later", e);
        }
    }

    /// <summary>
    /// A 403 that is a refusal, not a rate limit: GitHub sends <c>x-ratelimit-remaining</c> on every answer, so only a
    /// <c>Retry-After</c> (secondary) or a remaining of 0 (primary) makes a 403 a limit.
    /// </summary>
    private static bool IsRefusal(HttpResponseMessage response) =>
        response.Headers.RetryAfter is null &&
        !(response.Headers.TryGetValues("X-RateLimit-Remaining", out var remaining) && remaining.FirstOrDefault() == "0");

    /// <summary>The expiring link GitHub redirects to; the API request carries the credentials, the link never does.</summary>
    private async Task<Uri> RedirectAsync(string owner, string repository, Uri api, string what, bool retryOnRejectedToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, api);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("igor-github-actions", null));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        long? installation = null;
        if (_tokenClient is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _master.Token);
        }
        else
        {
            installation = await GetInstallationAsync(owner, repository, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens!.GetTokenAsync(installation.Value, cancellationToken).ConfigureAwait(false));
        }

        using var response = await _downloads().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Found or HttpStatusCode.MovedPermanently or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
                when response.Headers.Location is { } location:
                return location.IsAbsoluteUri ? location : new Uri(api, location);
            case HttpStatusCode.Unauthorized when retryOnRejectedToken && installation is { } id:
                Log.TokenRejected(_logger, _master.Name, id);
                _tokens!.Invalidate(id);
                return await RedirectAsync(owner, repository, api, what, retryOnRejectedToken: false, cancellationToken).ConfigureAwait(false);
            case HttpStatusCode.NotFound:
                throw new GitHubException(GitHubFailureKind.NotFound, $"GitHub does not know {what} (404) for master '{_master.Name}'", gitHubStatus: 404);
            case HttpStatusCode.Gone:
                throw new GitHubException(GitHubFailureKind.NotFound, $"{what} has expired on GitHub (410)", gitHubStatus: 410);
            case HttpStatusCode.Unauthorized:
                throw new GitHubException(GitHubFailureKind.Forbidden,
                    $"GitHub rejected the credentials of master '{_master.Name}' (401) during {what}: check GitHub:Masters' AppId and private key, or its Token");
            case HttpStatusCode.Forbidden when IsRefusal(response):
                var accepted = response.Headers.TryGetValues("X-Accepted-GitHub-Permissions", out var values) && values.FirstOrDefault() is { Length: > 0 } named
                    ? named
                    : "actions=read";
                throw new GitHubException(GitHubFailureKind.Forbidden,
                    $"GitHub refused {what} for master '{_master.Name}' (403): the GitHub App needs the permission {accepted}: " +
                    "grant it in the App's settings (Permissions & events), then accept it on the installation");
            default:
                var status = (int)response.StatusCode;
                throw status is >= 500 or 429 or 403
                    ? new GitHubException(GitHubFailureKind.Transient, $"GitHub answered {status} to {what} for master '{_master.Name}'; retry later", gitHubStatus: status)
                    : new GitHubException(GitHubFailureKind.Unexpected, $"GitHub answered {status} to {what} for master '{_master.Name}' instead of a download link", gitHubStatus: status);
        }
    }

    public void Dispose() => _jwt?.Dispose();

    internal static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Minted an installation token for master {Master}, installation {InstallationId}, expiring {ExpiresAt}")]
        public static partial void TokenMinted(ILogger logger, string master, long installationId, DateTimeOffset expiresAt);

        [LoggerMessage(2, LogLevel.Warning, "GitHub rejected the installation token of master {Master}, installation {InstallationId}; minting a new one")]
        public static partial void TokenRejected(ILogger logger, string master, long installationId);

        [LoggerMessage(3, LogLevel.Warning, "The GitHub App {AppId} of master {Master} is not installed on {Repository}: install the App there or remove it from GitHub:Masters Repositories")]
        public static partial void AppNotInstalled(ILogger logger, string master, string appId, string repository);

        [LoggerMessage(4, LogLevel.Warning, "GitHub call failed for master {Master}: {What}: {Reason}")]
        public static partial void GitHubCallFailed(ILogger logger, string master, string what, string reason);
    }
}
