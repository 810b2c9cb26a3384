namespace Igor.GitHubActions.Deployments;

/// <summary>The <c>Spinnaker</c> section: where people look at executions (links written to GitHub).</summary>
internal sealed class SpinnakerOptions
{
    public const string SectionName = "Spinnaker";

    /// <summary>Deck's URL, e.g. https://spinnaker.example.com; deployment statuses link to the execution there.</summary>
    public Uri? DeckUrl { get; set; }
}
