namespace Igor.GitHubActions.Testing;

/// <summary>One webhook delivery attempt made by the simulator.</summary>
/// <param name="Id">Delivery id (as in <c>/app/hook/deliveries</c>).</param>
/// <param name="Guid">The <c>X-GitHub-Delivery</c> value (kept by redeliveries).</param>
/// <param name="DeliveredAt">When it was sent (simulator clock).</param>
/// <param name="Redelivery">Whether it is a redelivery.</param>
/// <param name="Duration">Seconds the receiver took.</param>
/// <param name="Status"><c>OK</c> for a 2xx answer, else a failure description.</param>
/// <param name="StatusCode">The receiver's status code, or 0 when there was no answer.</param>
/// <param name="Event">The <c>X-GitHub-Event</c> value.</param>
/// <param name="Action">The payload's <c>action</c>, if any.</param>
/// <param name="InstallationId">The payload's <c>installation.id</c>, if any.</param>
/// <param name="RepositoryId">The payload's <c>repository.id</c>, if any.</param>
/// <param name="Payload">The exact body sent.</param>
/// <param name="RequestHeaders">The headers sent.</param>
/// <param name="ResponseBody">The receiver's response body, if any.</param>
public sealed record WebhookDelivery(
    long Id,
    string Guid,
    DateTimeOffset DeliveredAt,
    bool Redelivery,
    double Duration,
    string Status,
    int StatusCode,
    string Event,
    string? Action,
    long? InstallationId,
    long? RepositoryId,
    string Payload,
    IReadOnlyDictionary<string, string> RequestHeaders,
    string? ResponseBody)
{
    public bool Succeeded => Status == "OK";
}
