using Refit;

namespace Igor.GitHubActions.Echo;

/// <summary>Echo's intake (Igor: history/EchoService.java); bodies are sent pre-serialized, exactly as stored in the outbox.</summary>
internal interface IEchoApi
{
    /// <summary>Posts an event to <c>POST /</c> (Echo's HistoryController), as Igor's build monitors do.</summary>
    [Post("/")]
    Task PostEventAsync([Body] HttpContent body, CancellationToken cancellationToken);

    /// <summary>Posts a webhook trigger to <c>POST /webhooks/webhook/{source}</c>.</summary>
    [Post("/webhooks/webhook/{source}")]
    Task PostWebhookAsync(string source, [Body] HttpContent body, CancellationToken cancellationToken);
}
