using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Configuration;

/// <summary>Data-annotation validation of <see cref="GitHubOptions"/>, source-generated.</summary>
[OptionsValidator]
internal sealed partial class GitHubOptionsValidator : IValidateOptions<GitHubOptions>;
