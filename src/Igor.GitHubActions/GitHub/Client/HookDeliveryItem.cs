namespace Igor.GitHubActions.GitHub.Client;

/// <summary>One entry of <c>GET /app/hook/deliveries</c> (Octokit has no client for it).</summary>
internal sealed class HookDeliveryItem
{
    public long Id { get; set; }

    public string Guid { get; set; } = "";

    public string Status { get; set; } = "";

    public int StatusCode { get; set; }

    public DateTimeOffset DeliveredAt { get; set; }

    public bool Redelivery { get; set; }
}
