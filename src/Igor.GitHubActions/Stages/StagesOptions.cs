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
    public string? Secret { get; set; }
}
