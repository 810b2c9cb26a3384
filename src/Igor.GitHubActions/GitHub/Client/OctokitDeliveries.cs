using System.Globalization;
using Octokit;

namespace Igor.GitHubActions.GitHub.Client;

/// <summary>What reconciliation asks of GitHub: runs completed since a moment, and the App's failed webhook deliveries (listed and redelivered).</summary>
internal sealed class OctokitDeliveries(OctokitConnection _connection)
{
    /// <summary>At most this many pages of 100 deliveries are read back per reconciliation.</summary>
    private const int MaxDeliveryPages = 100;

    /// <summary>
    /// At most this many pages of 100 completed runs per repository: GitHub answers a filtered run listing with at most
    /// 1,000 results (https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository).
    /// </summary>
    private const int MaxRunPages = 10;

    public Task<IReadOnlyList<(string WorkflowFile, WorkflowRunInfo Run)>> ListCompletedRunsAsync(
        string owner, string repository, DateTimeOffset since, CancellationToken cancellationToken) =>
        _connection.CallAsync<IReadOnlyList<(string, WorkflowRunInfo)>>(owner, repository, $"the completed runs of {owner}/{repository}", async client =>
        {
            var request = new WorkflowRunsRequest
            {
                Status = CheckRunStatusFilter.Completed,
                Created = ">=" + since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            };
            // Newest first, paged by the Link header: after an outage the runs that finished first are on the later pages.
            var response = await client.Actions.Workflows.Runs.List(owner, repository, request, new ApiOptions { PageSize = 100, PageCount = MaxRunPages })
                .ConfigureAwait(false);
            return response.WorkflowRuns
                .Select(OctokitGitHubActionsClient.ToRun)
                .Select(r => (File: new WorkflowInfo(0, "", StripRef(r.Path ?? ""), "active", "").FileName, Run: r))
                .Where(r => r.File is not null)
                .Select(r => (r.File!, r.Run))
                .ToArray();
        }, cancellationToken);

    public async Task<IReadOnlyList<(long Id, string Guid)>> ListFailedDeliveriesAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (_connection.AppClient is null)
        {
            return [];
        }

        try
        {
            // See https://docs.github.com/rest/apps/webhooks#list-deliveries-for-an-app-webhook: newest first, cursor-paged
            // (the next page is the Link header's rel="next"). Read back to `since`: after an outage the deliveries that
            // failed first are the oldest, and deployment triggers have no other way back.
            var deliveries = new List<HookDeliveryItem>();
            Uri? next = new("app/hook/deliveries", UriKind.Relative);
            var parameters = new Dictionary<string, string> { ["per_page"] = "100" };
            for (var page = 0; next is not null && page < MaxDeliveryPages; page++)
            {
                var response = await _connection.AppClient.Connection.Get<List<HookDeliveryItem>>(next, parameters, "application/vnd.github+json", cancellationToken)
                    .ConfigureAwait(false);
                var items = response.Body ?? [];
                deliveries.AddRange(items);
                next = items.Count > 0 && items.Min(d => d.DeliveredAt) >= since && response.HttpResponse.ApiInfo?.Links is { } links &&
                       links.TryGetValue("next", out var link) ? link : null;
                parameters = [];
            }

            var succeeded = deliveries.Where(d => d.Status == "OK").Select(d => d.Guid).ToHashSet(StringComparer.Ordinal);
            return deliveries
                .Where(d => d.Status != "OK" && d.DeliveredAt >= since && !succeeded.Contains(d.Guid))
                .DistinctBy(d => d.Guid)
                .Select(d => (d.Id, d.Guid))
                .ToArray();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw GitHubErrors.Map(e, _connection.Master.Name, "the list of the App's webhook deliveries");
        }
    }

    public async Task RedeliverAsync(long deliveryId, CancellationToken cancellationToken)
    {
        try
        {
            // See https://docs.github.com/rest/apps/webhooks#redeliver-a-delivery-for-an-app-webhook
            await _connection.AppClient!.Connection.Post(new Uri($"app/hook/deliveries/{deliveryId}/attempts", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw GitHubErrors.Map(e, _connection.Master.Name, $"the redelivery of webhook delivery {deliveryId}");
        }
    }

    private static string StripRef(string path)
    {
        var at = path.IndexOf('@', StringComparison.Ordinal);
        return at >= 0 ? path[..at] : path;
    }
}
