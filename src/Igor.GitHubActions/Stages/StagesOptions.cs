using Igor.GitHubActions.Configuration;
namespace Igor.GitHubActions.Stages;

/// <summary>The <c>Stages</c> section: the shared secret Orca's preconfigured webhook stages send.</summary>
internal sealed class StagesOptions
{
    public const string SectionName = "Stages";

    public const string SecretHeader = "X-Igor-Stages-Secret";

    /// <summary>
    /// At least 32 characters; until it is set the <c>/stages/*</c> routes are off. Orca sends it with the stages'
    /// <c>customHeaders</c> (samples/orca-local.yml).
    /// </summary>
    [Secret(32, ErrorMessage = "Stages:Secret must be at least 32 characters without spaces (e.g. openssl rand -hex 32)")]
    public string? Secret { get; set; }
}
