using System.Text.RegularExpressions;

namespace Igor.GitHubActions.Logs;

/// <summary>
/// One line of a GitHub job log: <c>2026-11-24T10:00:00.1234567Z text</c>, where the text may carry ANSI escape
/// sequences and workflow commands (<c>##[group]</c>, <c>##[error]</c>, ...).
/// </summary>
internal static partial class LogLine
{
    /// <summary>The timestamp prefix (without its trailing space) and the rest of the line.</summary>
    public static (string? Timestamp, string Text) Split(string line)
    {
        if (line.Length > 0 && line[0] == '\uFEFF')
        {
            line = line[1..];
        }

        var match = TimestampPattern().Match(line);
        return match.Success ? (match.Groups[1].Value, line[match.Length..]) : (null, line);
    }

    /// <summary>The text without its timestamp and without ANSI escape sequences.</summary>
    public static string Clean(string line) => AnsiPattern().Replace(Split(line).Text, "");

    [GeneratedRegex(@"\A(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) ?", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"\x1B(?:\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])", RegexOptions.CultureInvariant)]
    private static partial Regex AnsiPattern();
}
