using System.ComponentModel.DataAnnotations;

namespace Igor.GitHubActions.Deployments;

/// <summary>Empty (write nothing for the outcome), or one of the states GitHub accepts for a deployment status.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class GitHubDeploymentStateAttribute : ValidationAttribute
{
    public GitHubDeploymentStateAttribute() =>
        ErrorMessage = $"Deployments:States: each of Starting, Succeeded, Failed and Canceled must be empty or one of {string.Join(", ", DeploymentStateMapping.GitHubStates)}";

    public override bool IsValid(object? value) =>
        value is null or "" || (value is string state && DeploymentStateMapping.GitHubStates.Contains(state, StringComparer.Ordinal));
}
