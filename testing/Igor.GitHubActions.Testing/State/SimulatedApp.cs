using System.Collections.Concurrent;
using System.Security.Cryptography;
using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing;

/// <summary>A GitHub App registered on the simulator, with a real RSA 2048 key pair.</summary>
public sealed class SimulatedApp : IDisposable
{
    private readonly SimulatorCore _core;
    private readonly List<string> _issuedTokens = [];

    internal SimulatedApp(SimulatorCore core, long appId, string clientId, string slug)
    {
        _core = core;
        AppId = appId;
        ClientId = clientId;
        Slug = slug;
        Name = slug;
        using var rsa = RSA.Create(2048);
        PrivateKeyPem = rsa.ExportRSAPrivateKeyPem();
        PrivateKeyPkcs8Pem = rsa.ExportPkcs8PrivateKeyPem();
        PublicKey = RSA.Create();
        PublicKey.ImportParameters(rsa.ExportParameters(false));
        Bot = new Account($"{slug}[bot]", core.Ids.Next(IdKind.Account), "Bot");
        Owner = core.DefaultActor;
        CreatedAt = core.Now;
    }

    public long AppId { get; }

    public string ClientId { get; }

    public string Slug { get; }

    /// <summary>Display name (defaults to the slug).</summary>
    public string Name { get; set; }

    /// <summary>The private key, PKCS#1 PEM (<c>BEGIN RSA PRIVATE KEY</c>), as GitHub hands it out.</summary>
    public string PrivateKeyPem { get; }

    /// <summary>The same private key as PKCS#8 PEM (<c>BEGIN PRIVATE KEY</c>).</summary>
    public string PrivateKeyPkcs8Pem { get; }

    /// <summary>The public key JWTs are verified with.</summary>
    public RSA PublicKey { get; }

    /// <summary>The bot account (<c>slug[bot]</c>) that acts for installation tokens.</summary>
    public Account Bot { get; }

    /// <summary>The account owning the App.</summary>
    public Account Owner { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>The App's permissions, copied into each new installation. Change before <see cref="Install"/>.</summary>
    public IDictionary<string, string> Permissions { get; } = new ConcurrentDictionary<string, string>(StringComparer.Ordinal)
    {
        ["actions"] = "write",
        ["contents"] = "write",
        ["deployments"] = "write",
        ["metadata"] = "read",
        ["statuses"] = "write",
    };

    /// <summary>Webhook events the App subscribes to (reported in the App and installation objects).</summary>
    /// <summary>Set for an App registered from a manifest: what GitHub generated and answers once in the conversion.</summary>
    public string? ClientSecret { get; set; }

    public string? WebhookSecret { get; set; }

    public string? WebhookUrl { get; set; }

    public IReadOnlyList<string> Events { get; set; } = ["deployment", "deployment_status", "workflow_job", "workflow_run"];

    /// <summary>Every installation token minted for this App, oldest first.</summary>
    public IReadOnlyList<string> IssuedTokens
    {
        get
        {
            lock (_core.Sync)
            {
                return [.. _issuedTokens];
            }
        }
    }

    /// <summary>Installs the App on <paramref name="owner"/>, on the given repositories or, when none are given, on all of them. Returns the installation id.</summary>
    public long Install(string owner, params string[] repositories)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        lock (_core.Sync)
        {
            var installation = new SimulatedInstallation
            {
                Id = _core.Ids.Next(IdKind.Installation),
                App = this,
                Account = _core.AccountFor(owner),
                RepositoryNames = new HashSet<string>(repositories, StringComparer.OrdinalIgnoreCase),
                Permissions = new Dictionary<string, string>(Permissions, StringComparer.Ordinal),
                CreatedAt = _core.Now,
            };
            _core.Installations[installation.Id] = installation;
            return installation.Id;
        }
    }

    /// <summary>Removes an installation; its tokens stop working (401).</summary>
    public void Uninstall(long installationId)
    {
        lock (_core.Sync)
        {
            if (_core.Installations.Remove(installationId, out var installation))
            {
                installation.Removed = true;
            }
        }
    }

    /// <summary>Adds repositories to a "selected" installation.</summary>
    public void AddRepositoriesToInstallation(long installationId, params string[] repositories)
    {
        lock (_core.Sync)
        {
            var installation = _core.Installations[installationId];
            foreach (var name in repositories)
            {
                installation.RepositoryNames.Add(name);
            }
        }
    }

    internal void RecordIssuedToken(string token) => _issuedTokens.Add(token);

    public void Dispose() => PublicKey.Dispose();
}
