using System.Collections.Concurrent;
using Igor.GitHubActions.Configuration;
using Igor.GitHubActions.Igor;
using Octokit;
using Octokit.Caching;
using Octokit.Internal;

namespace Igor.GitHubActions.GitHub;

/// <summary>
/// One master's GitHub access through Octokit: the App JWT client, one client per installation with tokens
/// from <see cref="InstallationTokenCache"/>, or one token client. Every client shares the named HttpClient
/// pipeline (resilience, API version header) and an ETag cache.
/// </summary>
internal sealed partial class OctokitGitHubActionsClient : IGitHubActionsClient, IDisposable
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
    private string? _dispatcherLogin;
    private readonly InstallationTokenCache? _tokens;
    private readonly ConcurrentDictionary<long, GitHubClient> _installationClients = new();

    /// <summary>One budget for the master's conditional-request cache, shared by its installations' clients.</summary>
    private readonly MemoryResponseCache _responses;
    private readonly ConcurrentDictionary<string, (long Id, DateTimeOffset At)> _installations = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _repositoryListLock = new(1, 1);
    private (IReadOnlyList<string> Repositories, DateTimeOffset At)? _repositories;

    public OctokitGitHubActionsClient(
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

    public static Uri ApiBase(MasterOptions master)
    {
        var url = master.ApiUrl.ToString();
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }

    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(CancellationToken cancellationToken)
    {
        if (_repositories is { } cached && _time.GetUtcNow() - cached.At < _options.WorkflowCacheDuration)
        {
            return cached.Repositories;
        }

        await _repositoryListLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_repositories is { } fresh && _time.GetUtcNow() - fresh.At < _options.WorkflowCacheDuration)
            {
                return fresh.Repositories;
            }

            var allowlist = new RepositoryAllowlist(_master.Repositories);
            var repositories = new SortedSet<string>(allowlist.Repositories, StringComparer.OrdinalIgnoreCase);
            foreach (var owner in allowlist.Owners)
            {
                foreach (var name in await ListInstalledRepositoriesAsync(owner, cancellationToken).ConfigureAwait(false))
                {
                    repositories.Add(name);
                }
            }

            var list = repositories.ToArray();
            _repositories = (list, _time.GetUtcNow());
            return list;
        }
        finally
        {
            _repositoryListLock.Release();
        }
    }

    public Task<RepositoryInfo> GetRepositoryAsync(string owner, string repository, CancellationToken cancellationToken) =>
        CallAsync(owner, repository, $"repository {owner}/{repository}", async client =>
        {
            var repo = await client.Repository.Get(owner, repository).ConfigureAwait(false);
            return new RepositoryInfo(repo.Owner.Login, repo.Name, repo.DefaultBranch, repo.HtmlUrl);
        }, cancellationToken);

    public Task<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(string owner, string repository, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<WorkflowInfo>>(owner, repository, $"the workflows of {owner}/{repository}", async client =>
        {
            var workflows = new List<WorkflowInfo>();
            for (var page = 1; ; page++)
            {
                var response = await client.Actions.Workflows
                    .List(owner, repository, new ApiOptions { PageSize = 100, PageCount = 1, StartPage = page })
                    .ConfigureAwait(false);
                workflows.AddRange(response.Workflows.Select(w =>
                    new WorkflowInfo(w.Id, w.Name, w.Path, w.State.StringValue, w.HtmlUrl)));
                if (response.Workflows.Count < 100 || workflows.Count >= response.TotalCount)
                {
                    return workflows;
                }
            }
        }, cancellationToken);

    public async Task<string?> GetFileAsync(string owner, string repository, string path, string gitRef, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(owner, repository, $"{path} at {gitRef} in {owner}/{repository}", async client =>
            {
                // The JSON form (base64 content) rather than the raw media type: it caches with its ETag like any other GET.
                var contents = await client.Repository.Content.GetAllContentsByRef(owner, repository, path, gitRef).ConfigureAwait(false);
                return contents.Count == 1 && contents[0].Content is { } text ? text : null;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubException e) when (e.Kind == GitHubFailureKind.NotFound)
        {
            return null;
        }
    }

    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_appClient is not null)
            {
                // The App's declared permissions: without these nothing can be started or followed, so health is DOWN.
                var app = await _appClient.GitHubApps.GetCurrent().WaitAsync(cancellationToken).ConfigureAwait(false);
                var missing = MissingPermissions(app.Permissions);
                if (missing.Count > 0)
                {
                    return $"the GitHub App {_master.AppId} of master '{_master.Name}' lacks the permission{(missing.Count > 1 ? "s" : "")} " +
                           $"{string.Join(", ", missing)}: grant {(missing.Count > 1 ? "them" : "it")} in the App's settings (Permissions & events), then accept on the installation";
                }
            }
            else
            {
                var first = _master.Repositories[0].Split('/');
                await GetRepositoryAsync(first[0], first[1], cancellationToken).ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var mapped = GitHubErrors.Map(e, _master.Name, "the health probe");
            return mapped is IgorException ? mapped.Message : $"GitHub could not be reached: {e.GetType().Name}";
        }
    }

    /// <summary>The permissions dispatching and following runs cannot do without, as GitHub names them (<c>actions=write</c>).</summary>
    private static List<string> MissingPermissions(InstallationPermissions? permissions)
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

    public void Dispose()
    {
        _jwt?.Dispose();
        _repositoryListLock.Dispose();
    }

    private async Task<T> CallAsync<T>(
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

    private async Task<IEnumerable<string>> ListInstalledRepositoriesAsync(string owner, CancellationToken cancellationToken)
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
            new ProductHeaderValue("igor-github-actions"),
            ApiBase(_master),
            new DelegateCredentialStore(credentials),
            new CachingHttpClient(_http(), _responses),
            new SimpleJsonSerializer());
        return new GitHubClient(connection);
    }

    private static partial class Log
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
