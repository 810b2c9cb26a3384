using Igor.GitHubActions.Contracts.Jobs;

namespace Igor.GitHubActions.GitHub.Jobs;

/// <summary>
/// Maps a workflow's inputs to Jenkins parameter definitions for Deck, and names the parameters the service
/// adds itself. Added names contain a '.', which GitHub input names cannot, so they never collide.
/// </summary>
internal static class JobParameters
{
    /// <summary>The branch or tag to run the workflow on.</summary>
    public const string Ref = "github.ref";

    /// <summary>The repository_dispatch event type, when the workflow listens to several.</summary>
    public const string EventType = "github.event_type";

    /// <summary>The input (or client_payload key) through which the service correlates a dispatch with its run.</summary>
    public const string DispatchIdInput = "spinnaker_dispatch_id";

    /// <summary>Parameters the service reads itself and does not pass to the workflow.</summary>
    public static bool IsServiceParameter(string name) => name.StartsWith("github.", StringComparison.Ordinal);

    public static IReadOnlyList<ParameterDefinition> For(WorkflowDefinition workflow, string defaultBranch)
    {
        var parameters = new List<ParameterDefinition>();
        if (workflow.HasWorkflowDispatch)
        {
            parameters.AddRange(workflow.Inputs.Where(i => i.Name != DispatchIdInput).Select(FromInput));
            parameters.Add(Text(Ref, defaultBranch, $"Branch or tag to run the workflow on (default: {defaultBranch})."));
        }
        else if (workflow.HasRepositoryDispatch)
        {
            parameters.AddRange(workflow.ClientPayloadKeys.Where(k => k != DispatchIdInput)
                .Select(k => Text(k, null, $"github.event.client_payload.{k}")));
            parameters.Add(EventTypeParameter(workflow.RepositoryDispatchTypes));
        }

        return parameters;
    }

    private static ParameterDefinition FromInput(WorkflowInput input)
    {
        var description = (input.Description ?? "").Trim();
        if (input.Required)
        {
            description = description.Length == 0 ? "(required)" : $"{description} (required)";
        }

        return input.Type switch
        {
            "boolean" => Definition(input.Name, ParameterTypes.Boolean, Boolean(input.Default), description, null),
            "choice" => Definition(input.Name, ParameterTypes.Choice, input.Default ?? (input.Options.Count > 0 ? input.Options[0] : null), description, input.Options),
            "number" => Definition(input.Name, ParameterTypes.Text, input.Default, Suffix(description, "(a number)"), null),
            "environment" => Definition(input.Name, ParameterTypes.Text, input.Default, Suffix(description, "(an environment name)"), null),
            _ => Definition(input.Name, ParameterTypes.Text, input.Default, description, null),
        };
    }

    private static ParameterDefinition EventTypeParameter(IReadOnlyList<string> types) => types.Count switch
    {
        0 => Text(EventType, "spinnaker", "repository_dispatch event type (the workflow accepts any)."),
        1 => Text(EventType, types[0], "repository_dispatch event type."),
        _ => Definition(EventType, ParameterTypes.Choice, types[0], "repository_dispatch event type.", types),
    };

    private static string Boolean(string? value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) ? "true" : "false";

    private static string Suffix(string description, string suffix) =>
        description.Length == 0 ? suffix : $"{description} {suffix}";

    private static ParameterDefinition Text(string name, string? defaultValue, string description) =>
        Definition(name, ParameterTypes.Text, defaultValue, description, null);

    private static ParameterDefinition Definition(string name, string type, string? defaultValue, string description, IReadOnlyList<string>? choices) =>
        new()
        {
            Name = name,
            Type = type,
            Description = description,
            DefaultValue = defaultValue,
            DefaultName = name,
            DefaultParameterValue = new DefaultParameterValue { Name = name, Value = defaultValue },
            Choices = choices,
        };
}
