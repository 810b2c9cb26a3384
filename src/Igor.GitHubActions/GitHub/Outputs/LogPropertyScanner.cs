using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Igor.Http;
using Igor.GitHubActions.Logs;

namespace Igor.GitHubActions.GitHub.Outputs;

/// <summary>
/// Igor's Travis/GitLab convention for properties printed by a build: a line <c>SPINNAKER_PROPERTY_NAME=value</c>
/// sets <c>name</c> (lower-cased, as Igor's PropertyParser does) and <c>SPINNAKER_CONFIG_JSON={...}</c> merges a JSON
/// object. GitHub's timestamp prefix and ANSI colours are removed first; the command echo of a <c>run:</c> step
/// (<c>##[group]Run echo ...</c>) does not match because the marker must start the line.
/// </summary>
internal static class LogPropertyScanner
{
    private const string PropertyPrefix = "SPINNAKER_PROPERTY_";
    private const string JsonPrefix = "SPINNAKER_CONFIG_JSON=";

    /// <summary>A property line longer than this is refused; every other line is read past in bounded memory.</summary>
    internal const int MaxLineLength = 1024 * 1024;

    public static async Task ScanAsync(TextReader reader, JsonObject target, string source, CancellationToken cancellationToken)
    {
        var lineNumber = 0;
        var lines = new BoundedLineReader(reader, MaxLineLength);
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is var (raw, cut))
        {
            lineNumber++;
            if (!raw.Contains("SPINNAKER_", StringComparison.Ordinal))
            {
                continue;
            }

            if (cut && LogLine.Clean(raw).TrimStart().StartsWith("SPINNAKER_", StringComparison.Ordinal))
            {
                throw IgorException.Unprocessable(string.Create(
                    System.Globalization.CultureInfo.InvariantCulture, $"{source}, line {lineNumber}: a SPINNAKER_ property line is longer than {MaxLineLength:N0} characters"));
            }

            var line = LogLine.Clean(raw).TrimStart();
            if (line.StartsWith(JsonPrefix, StringComparison.Ordinal))
            {
                try
                {
                    var json = JsonNode.Parse(line[JsonPrefix.Length..]) as JsonObject
                        ?? throw IgorException.Unprocessable($"{source}, line {lineNumber}: SPINNAKER_CONFIG_JSON is not a JSON object");
                    foreach (var (key, value) in json.ToArray())
                    {
                        json.Remove(key);
                        target[key] = value;
                    }
                }
                catch (JsonException e)
                {
                    throw IgorException.Unprocessable($"{source}, line {lineNumber}: SPINNAKER_CONFIG_JSON is not valid JSON ({e.Message})");
                }
            }
            else if (line.StartsWith(PropertyPrefix, StringComparison.Ordinal))
            {
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals > PropertyPrefix.Length)
                {
                    target[line[PropertyPrefix.Length..equals].ToLowerInvariant()] = line[(equals + 1)..].Trim();
                }
            }
        }
    }
}
