using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.PassThrough;

/// <summary>Data-annotation validation of <see cref="PassThroughOptions"/>, source-generated.</summary>
[OptionsValidator]
internal sealed partial class PassThroughOptionsValidator : IValidateOptions<PassThroughOptions>;
