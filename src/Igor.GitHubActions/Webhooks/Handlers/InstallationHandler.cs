using System.Text.Json;
using Igor.GitHubActions.GitHub;

namespace Igor.GitHubActions.Webhooks.Handlers;

/// <summary><c>installation</c> and <c>installation_repositories</c>: the App's repositories changed, so every master's listings are read again.</summary>
internal sealed partial class InstallationHandler(GitHubMasters gitHub, ILogger<InstallationHandler> logger) : IWebhookHandler
{
    public string Event => "installation";

    public Task HandleAsync(string deliveryId, JsonElement root, CancellationToken cancellationToken)
    {
        foreach (var master in gitHub.All)
        {
            master.Refresh();
        }

        Log.InstallationChanged(logger, deliveryId);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Delivery {DeliveryId}: the App's installation changed; repository lists refreshed")]
        public static partial void InstallationChanged(ILogger logger, string deliveryId);
    }
}
