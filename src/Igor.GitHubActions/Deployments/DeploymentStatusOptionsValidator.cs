using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Deployments;

/// <summary>Data-annotation validation of <see cref="DeploymentStatusOptions"/>, source-generated.</summary>
[OptionsValidator]
internal sealed partial class DeploymentStatusOptionsValidator : IValidateOptions<DeploymentStatusOptions>;
