using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Security;

/// <summary>Data-annotation validation of <see cref="FiatOptions"/>, source-generated.</summary>
[OptionsValidator]
internal sealed partial class FiatOptionsValidator : IValidateOptions<FiatOptions>;
