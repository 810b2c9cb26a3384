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
    bool? ProductionEnvironment);
