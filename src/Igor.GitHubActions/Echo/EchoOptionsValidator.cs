using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Echo;

/// <summary>Data-annotation validation of <see cref="EchoOptions"/>, source-generated.</summary>
[OptionsValidator]
internal sealed partial class EchoOptionsValidator : IValidateOptions<EchoOptions>;
