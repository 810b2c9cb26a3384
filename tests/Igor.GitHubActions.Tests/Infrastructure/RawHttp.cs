using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a plain socket, for request targets and headers HttpClient would normalise or refuse (dot segments,
/// raw bytes, odd encodings): what a hostile caller can really send.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends one request with <c>Connection: close</c> and returns the status code and body (0 when the server hung up).</summary>
    public static async Task<(int Status, string Body)> SendAsync(
        Uri server, string method, string target, IEnumerable<(string Name, string Value)>? headers = null, byte[]? body = null,
        CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancellationToken);
        await using var stream = client.GetStream();
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {server.Authority}\r\n")
            .Append("Connection: close\r\n");
        foreach (var (name, value) in headers ?? [])
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        if (body is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellationToken);
            if (body is not null)
            {
                await stream.WriteAsync(body, cancellationToken);
            }
        }
        catch (IOException)
        {
            // The server may answer (413, 400) and close before reading everything.
        }

        using var response = new MemoryStream();
        try
        {
            await stream.CopyToAsync(response, cancellationToken);
        }
        catch (IOException)
        {
            // A reset after the answer: keep what arrived.
        }

        var text = Encoding.UTF8.GetString(response.ToArray());
        var parts = text.Split(' ', 3);
        var status = parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, split >= 0 ? text[(split + 4)..] : "");
    }
}
