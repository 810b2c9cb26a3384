using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Configuration;

/// <summary>Data-annotation validation of <see cref="SpinnakerOptions"/>, source-generated.</summary>
[OptionsValidator]
internal sealed partial class SpinnakerOptionsValidator : IValidateOptions<SpinnakerOptions>;
