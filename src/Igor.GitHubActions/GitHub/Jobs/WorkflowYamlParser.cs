using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Igor.GitHubActions.GitHub.Jobs;

/// <summary>
/// Reads the triggers and inputs of a workflow file. GitHub exposes no inputs over REST, so the YAML is the
/// source (https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#onworkflow_dispatchinputs).
/// The representation model keeps scalars as text, so the YAML 1.1 reading of <c>on</c> as a boolean does not apply.
/// </summary>
internal static partial class WorkflowYamlParser
{
    private const int MaxYamlCharacters = 512 * 1024;

    public static WorkflowDefinition Parse(string yaml)
    {
        if (yaml.Length > MaxYamlCharacters)
        {
            throw new WorkflowYamlException($"the workflow file is larger than {MaxYamlCharacters / 1024} KiB");
        }

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode mapping
                ? mapping
                : throw new WorkflowYamlException("the workflow file is not one YAML mapping");
        }
        catch (YamlException e)
        {
            throw new WorkflowYamlException($"the workflow file is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some unterminated flow collections this way, without a position.
            throw new WorkflowYamlException($"the workflow file is not valid YAML (line unknown): {e.Message}");
        }

        var triggers = Triggers(Child(root, "on"));
        var dispatch = triggers.GetValueOrDefault("workflow_dispatch");
        var repositoryDispatch = triggers.GetValueOrDefault("repository_dispatch");
        return new WorkflowDefinition(
            Name: Scalar(Child(root, "name")),
            RunName: Scalar(Child(root, "run-name")),
            HasWorkflowDispatch: triggers.ContainsKey("workflow_dispatch"),
            Inputs: dispatch is YamlMappingNode d ? Inputs(Child(d, "inputs")) : [],
            HasRepositoryDispatch: triggers.ContainsKey("repository_dispatch"),
            RepositoryDispatchTypes: repositoryDispatch is YamlMappingNode r ? Strings(Child(r, "types")) : [],
            ClientPayloadKeys: ClientPayloadPattern().Matches(yaml)
                .Select(m => m.Groups["key"].Value)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToArray());
    }

    private static Dictionary<string, YamlNode?> Triggers(YamlNode? on) => on switch
    {
        YamlScalarNode s when s.Value is { Length: > 0 } v => new() { [v] = null },
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Where(s => s.Value is not null)
            .DistinctBy(s => s.Value).ToDictionary(s => s.Value!, _ => (YamlNode?)null),
        YamlMappingNode map => map.Children.Where(c => c.Key is YamlScalarNode { Value: not null })
            .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (YamlNode?)c.Value),
        null => throw new WorkflowYamlException("the workflow file has no 'on' section"),
        _ => throw new WorkflowYamlException("the workflow's 'on' section is neither an event, a list nor a mapping"),
    };

    private static List<WorkflowInput> Inputs(YamlNode? inputs)
    {
        if (inputs is null || inputs is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (inputs is not YamlMappingNode map)
        {
            throw new WorkflowYamlException("on.workflow_dispatch.inputs is not a mapping of input names");
        }

        var result = new List<WorkflowInput>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = Scalar(keyNode) ?? throw new WorkflowYamlException("an input of on.workflow_dispatch.inputs has no name");
            var spec = valueNode as YamlMappingNode;
            var type = (spec is null ? null : Scalar(Child(spec, "type"))) ?? "string";
            if (type is not ("string" or "boolean" or "choice" or "number" or "environment"))
            {
                throw new WorkflowYamlException($"input '{name}' has the unknown type '{type}' (GitHub knows string, boolean, choice, number, environment)");
            }

            result.Add(new WorkflowInput(
                name,
                type,
                spec is null ? null : Scalar(Child(spec, "description")),
                spec is not null && string.Equals(Scalar(Child(spec, "required")), "true", StringComparison.OrdinalIgnoreCase),
                spec is null ? null : Scalar(Child(spec, "default")),
                spec is null ? [] : Strings(Child(spec, "options"))));
        }

        return result;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode? node) => node is YamlScalarNode s ? s.Value : null;

    private static string[] Strings(YamlNode? node) => node switch
    {
        YamlScalarNode { Value: { Length: > 0 } v } => [v],
        YamlSequenceNode seq => seq.Children.Select(Scalar).OfType<string>().ToArray(),
        _ => [],
    };

    [GeneratedRegex(@"github\.event\.client_payload(?:\.(?<key>[A-Za-z_][A-Za-z0-9_-]*)|\[\s*'(?<key>[^']+)'\s*\])")]
    private static partial Regex ClientPayloadPattern();
}
