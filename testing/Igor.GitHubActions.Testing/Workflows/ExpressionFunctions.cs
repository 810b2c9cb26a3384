using System.Text;
using System.Text.Json.Nodes;
using static Igor.GitHubActions.Testing.Workflows.ExpressionEvaluator;

namespace Igor.GitHubActions.Testing.Workflows;

/// <summary>The expression functions the simulator supports.</summary>
internal static class ExpressionFunctions
{
    public static object? Call(string name, IReadOnlyList<object?> arguments)
    {
        object? Arg(int i) => i < arguments.Count ? arguments[i] : null;
        return name.ToUpperInvariant() switch
        {
            "CONTAINS" when Arg(0) is JsonArray array => array.Any(item => LooseEquals(FromJson(item), Arg(1))),
            "CONTAINS" => ToText(Arg(0)).Contains(ToText(Arg(1)), StringComparison.OrdinalIgnoreCase),
            "STARTSWITH" => ToText(Arg(0)).StartsWith(ToText(Arg(1)), StringComparison.OrdinalIgnoreCase),
            "ENDSWITH" => ToText(Arg(0)).EndsWith(ToText(Arg(1)), StringComparison.OrdinalIgnoreCase),
            "FORMAT" => Format(ToText(Arg(0)), arguments.Skip(1).ToList()),
            "JOIN" when Arg(0) is JsonArray array => string.Join(arguments.Count > 1 ? ToText(Arg(1)) : ",", array.Select(i => ToText(FromJson(i)))),
            "JOIN" => ToText(Arg(0)),
            "TOJSON" => Arg(0) is JsonNode node ? node.ToJsonString() : JsonValue.Create(ToText(Arg(0)))?.ToJsonString(),
            _ => throw new FormatException($"Unknown function {name}."),
        };
    }

    private static string Format(string format, List<object?> values)
    {
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '{' && i + 1 < format.Length && format[i + 1] == '{')
            {
                text.Append('{');
                i++;
            }
            else if (format[i] == '}' && i + 1 < format.Length && format[i + 1] == '}')
            {
                text.Append('}');
                i++;
            }
            else if (format[i] == '{' && format.IndexOf('}', i) is var close and > 0
                && int.TryParse(format.AsSpan(i + 1, close - i - 1), out var index) && index < values.Count)
            {
                text.Append(ToText(values[index]));
                i = close;
            }
            else
            {
                text.Append(format[i]);
            }
        }

        return text.ToString();
    }
}
