using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Igor.Http;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Igor.GitHubActions.GitHub.Outputs;

/// <summary>
/// A property file by extension, as Igor's Jenkins service reads it: <c>.yml</c>/<c>.yaml</c> a YAML mapping,
/// <c>.json</c> a JSON object, anything else Java <c>.properties</c>. Objects and lists stay structured.
/// </summary>
internal static class PropertyFileParser
{
    public static JsonObject Parse(string fileName, Stream content, string source)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        try
        {
            return extension switch
            {
                ".json" => JsonNode.Parse(content) as JsonObject ?? throw Unreadable(source, fileName, "it is not a JSON object"),
                ".yml" or ".yaml" => Yaml(content, source, fileName),
                _ => Properties(content),
            };
        }
        catch (JsonException e)
        {
            throw Unreadable(source, fileName, $"invalid JSON ({e.Message})");
        }
        catch (YamlException e)
        {
            throw Unreadable(source, fileName, $"invalid YAML at line {e.Start.Line} ({e.Message})");
        }
    }

    private static JsonObject Properties(Stream content)
    {
        using var reader = new StreamReader(content, leaveOpen: true);
        var result = new JsonObject();
        foreach (var (key, value) in JavaProperties.Parse(reader))
        {
            result[key] = value;
        }

        return result;
    }

    private static JsonObject Yaml(Stream content, string source, string fileName)
    {
        using var reader = new StreamReader(content, leaveOpen: true);
        var text = reader.ReadToEnd();

        // Depth is checked on the parser's events first (a loop, not recursion), so a deeply nested file cannot exhaust the
        // stack of the node tree's recursive loading.
        var depth = 0;
        var events = new Parser(new StringReader(text));
        while (events.MoveNext())
        {
            if (events.Current is YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart && ++depth > ExpansionBudget.MaxDepth)
            {
                throw Unreadable(source, fileName, $"it nests deeper than {ExpansionBudget.MaxDepth} levels");
            }

            if (events.Current is YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd)
            {
                depth--;
            }
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }

        var budget = new ExpansionBudget(source, fileName);
        return ToJson(stream.Documents[0].RootNode, 0, budget) as JsonObject ?? throw Unreadable(source, fileName, "it is not a YAML mapping");
    }

    /// <summary>
    /// YAML aliases point at nodes already read, so a small file can stand for an exponential tree ("billion laughs"):
    /// the tree is built within a budget of values and depth, and a file past it is refused, not expanded.
    /// </summary>
    private static JsonNode? ToJson(YamlNode node, int depth, ExpansionBudget budget)
    {
        budget.Take(depth);
        return node switch
        {
            YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c =>
                KeyValuePair.Create(c.Key is YamlScalarNode key ? key.Value ?? "" : throw Unreadable(budget.Source, budget.FileName, "a key is not a scalar"),
                    ToJson(c.Value, depth + 1, budget)))),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(c => ToJson(c, depth + 1, budget))]),
            YamlScalarNode scalar => Scalar(scalar),
            _ => null,
        };
    }

    private sealed class ExpansionBudget(string source, string fileName)
    {
        internal const int MaxValues = 100_000;
        internal const int MaxDepth = 64;
        private int _values;

        public string Source => source;

        public string FileName => fileName;

        public void Take(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Unreadable(source, fileName, $"it nests deeper than {MaxDepth} levels");
            }

            if (++_values > MaxValues)
            {
                throw Unreadable(source, fileName, string.Create(CultureInfo.InvariantCulture, $"it holds (or its aliases expand to) more than {MaxValues:N0} values"));
            }
        }
    }

    /// <summary>Plain scalars resolve as YAML 1.2's core schema does (null, booleans, numbers); quoted ones stay strings.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return value;
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => integer,
            _ when value.Any(char.IsDigit) && !value.StartsWith('.') &&
                   double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) => number,
            _ => value,
        };
    }

    private static IgorException Unreadable(string source, string fileName, string reason) =>
        IgorException.Unprocessable($"the property file {fileName} in {source} cannot be read: {reason}");
}
