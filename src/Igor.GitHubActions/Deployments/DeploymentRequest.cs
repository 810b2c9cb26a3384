using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Deployments;

/// <summary>A GitHub deployment to create; <c>auto_merge</c> is always false, <c>required_contexts</c> empty unless given.</summary>
internal sealed record DeploymentRequest(
    string Ref,
    string Environment,
    string Task,
    string? Description,
    JsonNode? Payload,
    IReadOnlyList<string>? RequiredContexts,
    bool? TransientEnvironment,
    bool? ProductionEnvironment)
{
    /// <summary>The payload key that carries <see cref="Intent"/>.</summary>
    public const string IntentKey = "spinnaker_intent";

    /// <summary>
    /// Names the one deployment a stage attempt creates; written into the payload, so that a call whose answer was lost
    /// finds the deployment GitHub created instead of creating another.
    /// </summary>
    public string? Intent { get; init; }
}
