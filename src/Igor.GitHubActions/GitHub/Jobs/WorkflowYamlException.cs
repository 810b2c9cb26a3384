namespace Igor.GitHubActions.GitHub.Jobs;

/// <summary>A workflow file the service cannot read; the message says where and why.</summary>
internal sealed class WorkflowYamlException(string message) : Exception(message);
