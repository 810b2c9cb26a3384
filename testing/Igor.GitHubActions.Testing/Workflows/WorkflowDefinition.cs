using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Igor.GitHubActions.Testing.Workflows;


/// <summary>The parts of a workflow file the simulator acts on.</summary>
internal sealed class WorkflowDefinition
{
    public string? Name { get; private init; }

    public string? RunName { get; private init; }

    public bool HasWorkflowDispatch { get; private init; }

    public IReadOnlyList<WorkflowInput> Inputs { get; private init; } = [];

    public bool HasRepositoryDispatch { get; private init; }

    /// <summary>Null when <c>repository_dispatch</c> has no <c>types</c> filter.</summary>
    public IReadOnlyList<string>? RepositoryDispatchTypes { get; private init; }

    public IReadOnlyList<string> Events { get; private init; } = [];

    /// <summary>Set when the file is not a valid workflow.</summary>
    public string? ParseError { get; private init; }

    public bool Accepts(string eventType) =>
        HasRepositoryDispatch && (RepositoryDispatchTypes is null || RepositoryDispatchTypes.Contains(eventType, StringComparer.Ordinal));

    public static WorkflowDefinition Parse(string yaml)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return new WorkflowDefinition { ParseError = "the workflow file is not a mapping" };
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            return new WorkflowDefinition { ParseError = e.Message };
        }

        var on = Child(root, "on") ?? Child(root, "true");
        var events = new Dictionary<string, YamlNode?>(StringComparer.Ordinal);
        switch (on)
        {
            case YamlScalarNode scalar when scalar.Value is not null:
                events[scalar.Value] = null;
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children.OfType<YamlScalarNode>().Where(s => s.Value is not null))
                {
                    events[item.Value!] = null;
                }

                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name })
                    {
                        events[name] = value;
                    }
                }

                break;
            default:
                break;
        }

        events.TryGetValue("workflow_dispatch", out var dispatch);
        events.TryGetValue("repository_dispatch", out var repositoryDispatch);
        return new WorkflowDefinition
        {
            Name = Scalar(Child(root, "name")),
            RunName = Scalar(Child(root, "run-name")),
            Events = [.. events.Keys],
            HasWorkflowDispatch = events.ContainsKey("workflow_dispatch"),
            Inputs = ParseInputs(Child(dispatch, "inputs")),
            HasRepositoryDispatch = events.ContainsKey("repository_dispatch"),
            RepositoryDispatchTypes = Child(repositoryDispatch, "types") switch
            {
                YamlSequenceNode types => [.. types.Children.Select(Scalar).OfType<string>()],
                YamlScalarNode single when single.Value is { Length: > 0 } v => [v],
                _ => null,
            },
        };
    }

    private static List<WorkflowInput> ParseInputs(YamlNode? node)
    {
        var inputs = new List<WorkflowInput>();
        if (node is not YamlMappingNode mapping)
        {
            return inputs;
        }

        foreach (var (key, value) in mapping.Children)
        {
            if (Scalar(key) is not { } name)
            {
                continue;
            }

            var required = string.Equals(Scalar(Child(value, "required")), "true", StringComparison.OrdinalIgnoreCase);
            var options = Child(value, "options") is YamlSequenceNode sequence
                ? sequence.Children.Select(Scalar).OfType<string>().ToList()
                : [];
            inputs.Add(new WorkflowInput(name, required, Scalar(Child(value, "default")), Scalar(Child(value, "type")) ?? "string", options));
        }

        return inputs;
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode? node) =>
        node is YamlScalarNode { Value: { } value } scalar
        && !(scalar.Style == ScalarStyle.Plain && (value.Length == 0 || value is "~" or "null"))
            ? value
            : null;
}
