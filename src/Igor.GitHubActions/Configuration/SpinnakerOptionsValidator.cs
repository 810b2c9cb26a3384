using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Configuration;

/// <summary>Both Spinnaker URLs, when set, are absolute http(s) URLs.</summary>
internal sealed class SpinnakerOptionsValidator : IValidateOptions<SpinnakerOptions>
{
    public ValidateOptionsResult Validate(string? name, SpinnakerOptions options)
    {
        var failures = new List<string>();
        Check(options.LogPageUrl, "Spinnaker:LogPageUrl", failures);
        Check(options.DeckUrl, "Spinnaker:DeckUrl", failures);
        if (options.LogLinkKey is { Length: > 0 and < 32 })
        {
            failures.Add("Spinnaker:LogLinkKey: use at least 32 characters (e.g. openssl rand -hex 32)");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(Uri? url, string key, List<string> failures)
    {
        if (url is not null && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            failures.Add($"{key}: expected an absolute http(s) URL, e.g. https://spinnaker.example.com/gate/proxies/igor-logs");
        }
    }
}
