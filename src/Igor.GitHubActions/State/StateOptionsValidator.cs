using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.State;

/// <summary>Data-annotation validation of <see cref="StateOptions"/>, source-generated.</summary>
[OptionsValidator]
internal sealed partial class StateOptionsValidator : IValidateOptions<StateOptions>;
