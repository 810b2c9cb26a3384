using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Testing.Workflows;

/// <summary>Evaluates GitHub Actions <c>${{ … }}</c> expressions as used in <c>run-name</c>.</summary>
/// <remarks>Supports context paths (case-insensitive), string/number/bool/null literals, <c>!</c>, <c>==</c>, <c>!=</c>,
/// <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&amp;&amp;</c>, <c>||</c> (with GitHub's value-returning semantics),
/// parentheses and the functions contains, startsWith, endsWith, format, join and toJSON. Unknown values evaluate to null (empty text).</remarks>
internal static class ExpressionEvaluator
{
    public static string EvaluateTemplate(string template, JsonObject contexts)
    {
        var text = new StringBuilder();
        var position = 0;
        while (position < template.Length)
        {
            var start = template.IndexOf("${{", position, StringComparison.Ordinal);
            if (start < 0)
            {
                text.Append(template, position, template.Length - position);
                break;
            }

            text.Append(template, position, start - position);
            var end = FindClose(template, start + 3);
            if (end < 0)
            {
                text.Append(template, start, template.Length - start);
                break;
            }

            text.Append(ToText(Evaluate(template[(start + 3)..end], contexts)));
            position = end + 2;
        }

        return text.ToString();
    }

    public static object? Evaluate(string expression, JsonObject contexts)
    {
        try
        {
            return new ExpressionParser(expression, contexts).ParseAll();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        JsonArray => "Array",
        JsonObject => "Object",
        _ => "",
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        _ => true,
    };

    public static double ToNumber(object? value) => value switch
    {
        null => 0,
        bool b => b ? 1 : 0,
        double d => d,
        string s when s.Trim().Length == 0 => 0,
        string s => double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.NaN,
        _ => double.NaN,
    };

    public static bool LooseEquals(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
        (bool a, bool b) => a == b,
        (JsonNode a, JsonNode b) => ReferenceEquals(a, b),
        (JsonNode, _) or (_, JsonNode) => false,
        _ => ToNumber(left) == ToNumber(right),
    };

    /// <summary>Converts a JSON node to an expression value (string, double, bool, null, or the object/array node itself).</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject or JsonArray => (object)node,
        _ => node.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => (object)node.GetValue<string>(),
            System.Text.Json.JsonValueKind.Number => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture),
            System.Text.Json.JsonValueKind.True => true,
            System.Text.Json.JsonValueKind.False => false,
            _ => null,
        },
    };

    private static int FindClose(string text, int from)
    {
        var inString = false;
        for (var i = from; i < text.Length - 1; i++)
        {
            if (text[i] == '\'')
            {
                inString = !inString;
            }
            else if (!inString && text[i] == '}' && text[i + 1] == '}')
            {
                return i;
            }
        }

        return -1;
    }
}
