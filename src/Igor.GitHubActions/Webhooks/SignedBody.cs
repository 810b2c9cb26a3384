using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Igor.GitHubActions.Igor.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Igor.GitHubActions.Webhooks;

/// <summary>
/// A webhook body read against its <c>X-Hub-Signature-256</c>: a missing or malformed header is refused before the
/// body is read; the HMAC-SHA256 is computed chunk by chunk as the body arrives; until it is verified, the body is held
/// in at most <see cref="MemoryThreshold"/> bytes of memory and spooled to a temporary file past that (deleted when the
/// request ends). Only a body whose signature matches is ever materialized.
/// </summary>
internal static class SignedBody
{
    internal const int MemoryThreshold = 64 * 1024;
    private const string Prefix = "sha256=";

    /// <summary>The body when its signature matches; null when it does not (or is missing); 413 past <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, string secret, int maxBytes, CancellationToken cancellationToken)
    {
        if (Expected(context.Request.Headers["X-Hub-Signature-256"].ToString()) is not { } expected)
        {
            return null;
        }

        if (context.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = maxBytes + 1L;
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        await using var spool = new FileBufferingWriteStream(MemoryThreshold, maxBytes + 1L);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        long total = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                hmac.AppendData(chunk, 0, read);
                await spool.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (!CryptographicOperations.FixedTimeEquals(hmac.GetHashAndReset(), expected))
        {
            return null;
        }

        var body = new byte[total];
        await spool.DrainBufferAsync(new MemoryStream(body), cancellationToken).ConfigureAwait(false);
        return body;
    }

    /// <summary>The 32 bytes a <c>sha256=&lt;64 hex digits&gt;</c> header names, or null.</summary>
    private static byte[]? Expected(string header)
    {
        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
        {
            return null;
        }

        var bytes = new byte[32];
        for (var i = 0; i < 32; i++)
        {
            if (!byte.TryParse(header.AsSpan(Prefix.Length + (2 * i), 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return null;
            }
        }

        return bytes;
    }

    private static IgorException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"the webhook body is over {maxBytes} bytes (GitHub:WebhookMaxBytes)");
}
