using Igor.GitHubActions.GitHub.Client;
namespace Igor.GitHubActions.GitHub.Apps;

/// <summary>Webhook recovery: the App's deliveries GitHub failed to make, asked again (GitHub keeps them three days).</summary>
internal sealed class FailedDeliveries(IGitHubActionsClient github)
{
    /// <summary>
    /// Asks GitHub to redeliver the App's failed deliveries since <paramref name="since"/> that were not accepted here
    /// (<paramref name="accepted"/> answers by delivery GUID); returns how many were asked for.
    /// </summary>
    public async Task<int> RedeliverAsync(Func<string, CancellationToken, Task<bool>> accepted, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var asked = 0;
        foreach (var (id, guid) in await github.ListFailedDeliveriesAsync(since, cancellationToken).ConfigureAwait(false))
        {
            if (!await accepted(guid, cancellationToken).ConfigureAwait(false))
            {
                await github.RedeliverAsync(id, cancellationToken).ConfigureAwait(false);
                asked++;
            }
        }

        return asked;
    }
}
