using System.Text.Json;
using System.Text.Json.Serialization;

namespace Igor.GitHubActions.Igor.Http;

/// <summary>The service's own answers (not Igor's wire types), source-generated: camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Endpoints.HealthAnswer))]
[JsonSerializable(typeof(Webhooks.WebhookReceipt))]
[JsonSerializable(typeof(Deployments.EchoEventReceipt))]
[JsonSerializable(typeof(Operations.DeadLetter[]))]
[JsonSerializable(typeof(Stages.WorkflowStageAnswer))]
[JsonSerializable(typeof(Stages.StageCancelAnswer))]
[JsonSerializable(typeof(Stages.DeploymentStageAnswer))]
[JsonSerializable(typeof(Stages.DeploymentStatusStageAnswer))]
[JsonSerializable(typeof(Stages.CommitStatusStageAnswer))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;
