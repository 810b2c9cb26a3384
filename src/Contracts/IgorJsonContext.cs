using System.Text.Json.Serialization;
using Igor.GitHubActions.Contracts.Builds;
using Igor.GitHubActions.Contracts.Jobs;
using Igor.GitHubActions.Contracts.Masters;

namespace Igor.GitHubActions.Contracts;

/// <summary>Source-generated serialization for every wire type.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenericBuild))]
[JsonSerializable(typeof(IReadOnlyList<GenericBuild>))]
[JsonSerializable(typeof(QueuedBuild))]
[JsonSerializable(typeof(JobConfiguration))]
[JsonSerializable(typeof(IReadOnlyList<BuildServiceView>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(Echo.BuildEvent))]
public sealed partial class IgorJsonContext : JsonSerializerContext;
