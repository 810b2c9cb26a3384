using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Security;

/// <summary>Data-annotation validation of <see cref="SecurityOptions"/>, source-generated.</summary>
[OptionsValidator]
internal sealed partial class SecurityOptionsValidator : IValidateOptions<SecurityOptions>;
