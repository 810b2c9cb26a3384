using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Stages;

/// <summary>Data-annotation validation of <see cref="StagesOptions"/>, source-generated.</summary>
[OptionsValidator]
internal sealed partial class StagesOptionsValidator : IValidateOptions<StagesOptions>;
