using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Igor.GitHubActions.GitHub.Jobs;
using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;

namespace Igor.GitHubActions.GitHub.Dispatch;

/// <summary>GitHub's limits on what a dispatch carries, checked before any GitHub call, and Igor's idempotency key.</summary>
internal static partial class DispatchLimits
{
    public const int MaxInputs = 25;
    public const int MaxInputCharacters = 65_535;
    public const int MaxClientPayloadKeys = 10;
    public const int MaxClientPayloadBytes = 64 * 1024;

    /// <summary>How long a holder owns a queue item: the longest a dispatch POST can take (timeouts included), with a margin.</summary>
    public static TimeSpan Lease(Configuration.GitHubOptions options) => (options.RequestTimeout * 2) + TimeSpan.FromSeconds(5);

    /// <summary>GitHub's limits and input name rules; values are only ever sent as JSON data.</summary>
    public static void Check(IReadOnlyDictionary<string, string> parameters)
    {
        var inputs = parameters.Keys.Count(k => !JobParameters.IsServiceParameter(k));
        if (inputs > MaxInputs)
        {
            throw IgorException.BadRequest($"GitHub takes at most {MaxInputs} workflow inputs; {inputs} parameters were given");
        }

        if (parameters.Keys.FirstOrDefault(k => !InputNamePattern().IsMatch(k)) is { } badName)
        {
            throw IgorException.BadRequest(
                $"'{(badName.Length > 100 ? badName[..100] + "..." : badName)}' is not a workflow input name (a letter or '_', then letters, digits, '_' or '-', at most 100)");
        }

        var size = parameters.Sum(p => p.Key.Length + p.Value.Length + 6);
        if (size > MaxInputCharacters)
        {
            throw IgorException.BadRequest($"the parameters add up to {size} characters; GitHub takes at most {MaxInputCharacters} for a workflow's inputs");
        }
    }

    /// <summary>Igor's key: master, job, execution, start time and parameters (hashed to bound its length).</summary>
    public static string IdempotencyKey(string master, JobName job, BuildRequest request)
    {
        var text = new StringBuilder()
            .Append(master).Append('\n').Append(job).Append('\n')
            .Append(request.ExecutionId ?? "NO_EXECUTION_ID").Append('\n')
            .Append(request.StartTime).Append('\n');
        foreach (var (key, value) in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}\z")]
    private static partial Regex InputNamePattern();
}
