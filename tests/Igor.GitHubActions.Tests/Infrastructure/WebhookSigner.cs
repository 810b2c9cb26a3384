using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>Posts a webhook delivery as GitHub does: signed with HMAC-SHA256 over the raw body.</summary>
public static class WebhookSigner
{
    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient client, string eventName, string body, string? secret, string? deliveryId = null, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/github") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
        request.Headers.Add("User-Agent", "GitHub-Hookshot/test");
        if (signature is not null || secret is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature ?? Sign(secret!, bytes));
        }

        return await client.SendAsync(request);
    }
}
