using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Configuration;

/// <summary>Cross-field rules of the masters: credentials, key material, allowlists and unique names.</summary>
internal sealed partial class MasterRulesValidator : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Masters.Count; i++)
        {
            var master = options.Masters[i];
            var key = $"GitHub:Masters:{i}";
            if (!names.Add(master.Name))
            {
                failures.Add($"{key}:Name: the master name '{master.Name}' is used twice");
            }

            if (master.Name.StartsWith("travis-", StringComparison.OrdinalIgnoreCase) ||
                master.Name.StartsWith("concourse-", StringComparison.OrdinalIgnoreCase) ||
                master.Name.Contains("travis", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{key}:Name: '{master.Name}' is special-cased by Deck, Echo or Orca; choose a name without 'travis' or a 'concourse-' prefix");
            }

            if (master.ApiUrl is null)
            {
                failures.Add($"{key}:ApiUrl: required, e.g. https://api.github.com or https://HOST/api/v3");
            }
            else if (!master.ApiUrl.IsAbsoluteUri || (master.ApiUrl.Scheme != Uri.UriSchemeHttps && master.ApiUrl.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{key}:ApiUrl: must be an absolute http(s) URL such as https://api.github.com or https://HOST/api/v3");
            }

            ValidateCredentials(master, key, failures);
            ValidateRepositories(master, key, failures);
            foreach (var team in master.RequireTeamWriteAccess)
            {
                if (team is null || !TeamPattern().IsMatch(team))
                {
                    failures.Add($"{key}:RequireTeamWriteAccess: '{team}' is not org/team-slug");
                }
            }
            foreach (var permission in master.Permissions.Keys)
            {
                if (permission is not ("READ" or "WRITE" or "EXECUTE" or "CREATE"))
                {
                    failures.Add($"{key}:Permissions: '{permission}' is not READ, WRITE, EXECUTE or CREATE");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateCredentials(MasterOptions master, string key, List<string> failures)
    {
        var hasToken = !string.IsNullOrWhiteSpace(master.Token);
        if (master.UsesApp == hasToken)
        {
            failures.Add($"{key}: set either AppId with PrivateKey or PrivateKeyPath (a GitHub App), or Token, not both and not neither");
            return;
        }

        if (!master.UsesApp)
        {
            return;
        }

        if (!AppIdPattern().IsMatch(master.AppId!))
        {
            failures.Add($"{key}:AppId: expected the App's numeric id or its client id");
        }

        if (string.IsNullOrWhiteSpace(master.PrivateKey) == string.IsNullOrWhiteSpace(master.PrivateKeyPath))
        {
            failures.Add($"{key}: set exactly one of PrivateKey (inline PEM) and PrivateKeyPath");
            return;
        }

        var pemKey = master.PrivateKey is { Length: > 0 } ? $"{key}:PrivateKey" : $"{key}:PrivateKeyPath";
        string pem;
        try
        {
            pem = master.PrivateKey is { Length: > 0 } inline ? inline : File.ReadAllText(master.PrivateKeyPath!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failures.Add($"{pemKey}: the private key file cannot be read ({e.GetType().Name})");
            return;
        }

        if (!IsRsaPem(pem))
        {
            failures.Add($"{pemKey}: not an RSA private key in PEM form (expected -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----, as GitHub generates it)");
        }
    }

    private static bool IsRsaPem(string pem)
    {
        try
        {
            if (!pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            {
                return false;
            }

            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            rsa.ExportParameters(includePrivateParameters: true);
            return rsa.KeySize >= 2048;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }

    private static void ValidateRepositories(MasterOptions master, string key, List<string> failures)
    {
        if (master.Repositories.Count == 0)
        {
            failures.Add($"{key}:Repositories: list at least one owner/repo or owner/*");
        }

        foreach (var entry in master.Repositories)
        {
            if (string.IsNullOrWhiteSpace(entry))
            {
                failures.Add($"{key}:Repositories: an entry is empty");
            }
            else if (!RepositoryPattern().IsMatch(entry))
            {
                failures.Add($"{key}:Repositories: '{entry}' is not owner/repo or owner/*");
            }
            else if (entry.EndsWith("/*", StringComparison.Ordinal) && !master.UsesApp)
            {
                failures.Add($"{key}:Repositories: '{entry}' needs a GitHub App (owner/* means every repository the App is installed on); list repositories one by one with a token");
            }
        }
    }

    [GeneratedRegex(@"^([0-9]{1,12}|Iv[0-9A-Za-z.]{4,40})\z")]
    private static partial Regex AppIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/(\*|[A-Za-z0-9._-]{1,100})\z")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9][A-Za-z0-9_-]{0,99}\z")]
    private static partial Regex TeamPattern();
}
