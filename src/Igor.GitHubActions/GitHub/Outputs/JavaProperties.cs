using System.Globalization;
using System.Text;

namespace Igor.GitHubActions.GitHub.Outputs;

/// <summary>
/// Java's <c>.properties</c> syntax (java.util.Properties.load): <c>#</c>/<c>!</c> comments, <c>=</c>, <c>:</c> or
/// whitespace separators, backslash line continuations and escapes including <c>\uXXXX</c>. Later keys win.
/// </summary>
internal static class JavaProperties
{
    public static Dictionary<string, string> Parse(TextReader reader)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (ReadLogicalLine(reader) is { } line)
        {
            var i = 0;
            while (i < line.Length && IsBlank(line[i]))
            {
                i++;
            }

            if (i == line.Length || line[i] is '#' or '!')
            {
                continue;
            }

            var keyStart = i;
            while (i < line.Length && line[i] is not ('=' or ':') && !IsBlank(line[i]))
            {
                i += line[i] == '\\' ? 2 : 1;
            }

            var key = Unescape(line[keyStart..Math.Min(i, line.Length)]);
            while (i < line.Length && IsBlank(line[i]))
            {
                i++;
            }

            if (i < line.Length && line[i] is '=' or ':')
            {
                i++;
            }

            while (i < line.Length && IsBlank(line[i]))
            {
                i++;
            }

            result[key] = Unescape(line[Math.Min(i, line.Length)..]);
        }

        return result;
    }

    /// <summary>One logical line: physical lines joined while they end in an odd number of backslashes.</summary>
    private static string? ReadLogicalLine(TextReader reader)
    {
        var line = reader.ReadLine();
        if (line is null)
        {
            return null;
        }

        var builder = new StringBuilder();
        while (true)
        {
            var trailing = 0;
            for (var j = line.Length - 1; j >= 0 && line[j] == '\\'; j--)
            {
                trailing++;
            }

            if (trailing % 2 == 0 || (builder.Length == 0 && IsComment(line)))
            {
                builder.Append(line);
                return builder.ToString();
            }

            builder.Append(line, 0, line.Length - 1);
            var next = reader.ReadLine();
            if (next is null)
            {
                return builder.ToString();
            }

            line = next.TrimStart(' ', '\t', '\f');
        }
    }

    private static bool IsComment(string line) => line.TrimStart(' ', '\t', '\f') is { Length: > 0 } t && t[0] is '#' or '!';

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\f';

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i == text.Length - 1)
            {
                builder.Append(text[i]);
                continue;
            }

            var c = text[++i];
            switch (c)
            {
                case 't': builder.Append('\t'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 'f': builder.Append('\f'); break;
                case 'u' when i + 4 < text.Length &&
                              int.TryParse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    builder.Append((char)code);
                    i += 4;
                    break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }
}
