using System.Text.Json;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Http;
using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Testing.Workflows;

/// <summary>Validation of <c>workflow_dispatch</c> inputs against the workflow file, with GitHub's messages.</summary>
internal static class DispatchValidator
{
    public const int MaxInputsJsonLength = 65_535;

    /// <summary>Schema-level checks of the request's <c>inputs</c> (before looking at the workflow file).</summary>
    public static IResult? CheckShape(JsonObject? inputs, GitHubSimulatorOptions options)
    {
        if (inputs is null)
        {
            return null;
        }

        if (inputs.Count > options.MaxWorkflowInputs)
        {
            return ApiErrors.Unprocessable($"No more than {options.MaxWorkflowInputs} properties are allowed; {inputs.Count} were supplied.");
        }

        if (inputs.ToJsonString(JsonApiResult.SerializerOptions).Length > MaxInputsJsonLength)
        {
            return ApiErrors.Unprocessable("inputs are too large.");
        }

        if (!options.AllowNonStringInputs)
        {
            foreach (var (name, value) in inputs)
            {
                if (value?.GetValueKind() != JsonValueKind.String)
                {
                    return ApiErrors.InvalidRequest($"For 'properties/{name}', {value?.ToJsonString() ?? "nil"} is not a string.");
                }
            }
        }

        return null;
    }

    /// <summary>Checks the inputs against the declared ones; returns the effective inputs (with defaults, booleans typed) or an error.</summary>
    public static IResult? CheckAgainst(WorkflowDefinition definition, IReadOnlyDictionary<string, string> sent, int maxInputs, out JsonObject effective)
    {
        effective = [];
        if (definition.Inputs.Count > maxInputs)
        {
            return ApiErrors.Unprocessable($"failed to parse workflow: you may only define up to {maxInputs} `inputs` for a `workflow_dispatch` event");
        }

        var unexpected = sent.Keys.Where(k => definition.Inputs.All(i => i.Name != k)).ToList();
        if (unexpected.Count > 0)
        {
            return ApiErrors.Unprocessable($"Unexpected inputs provided: [{string.Join(", ", unexpected.Select(u => JsonSerializer.Serialize(u)))}]");
        }

        foreach (var input in definition.Inputs)
        {
            sent.TryGetValue(input.Name, out var value);
            if (value is null && input.Required && input.Default is null)
            {
                return ApiErrors.Unprocessable($"Required input '{input.Name}' not provided");
            }

            if (value is not null && input.Type == "choice" && input.Options.Count > 0 && !input.Options.Contains(value, StringComparer.Ordinal))
            {
                return ApiErrors.Unprocessable($"Provided value '{value}' for input '{input.Name}' not in the list of allowed values");
            }

            var text = value ?? input.Default ?? "";
            effective[input.Name] = input.Type == "boolean" && bool.TryParse(text, out var flag) ? JsonValue.Create(flag) : JsonValue.Create(text);
        }

        return null;
    }
}
