using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Igor;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Igor.GitHubActions.GitHub;

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
        var stream = new YamlStream();
        stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }

        return ToJson(stream.Documents[0].RootNode) as JsonObject ?? throw Unreadable(source, fileName, "it is not a YAML mapping");
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

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
