using System.Text.Json.Nodes;

namespace Igor.GitHubActions.Igor;

/// <summary>What a finished build of a master produced, as Igor's build properties (Igor's BuildProperties).</summary>
internal interface IBuildProperties
{
    string Name { get; }

    /// <summary>
    /// The named property file from the build's uploaded artifacts, else the SPINNAKER_PROPERTY_ lines of its logs;
    /// <c>{}</c> when neither exists, a 503 while the build runs.
    /// </summary>
    Task<JsonObject> GetBuildPropertiesAsync(JobName job, int buildNumber, string fileName, CancellationToken cancellationToken);
}
