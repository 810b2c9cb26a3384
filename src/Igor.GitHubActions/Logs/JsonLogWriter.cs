using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Igor.GitHubActions.Logs;

/// <summary>Writes <c>{"log":"..."}</c> with the log text escaped chunk by chunk, so a big log is never held whole.</summary>
internal sealed class JsonLogWriter(Stream output)
{
    private static readonly byte[] Start = "{\"log\":\""u8.ToArray();
    private static readonly byte[] End = "\"}"u8.ToArray();

    public Task StartAsync(CancellationToken cancellationToken) => output.WriteAsync(Start, cancellationToken).AsTask();

    public Task EndAsync(CancellationToken cancellationToken) => output.WriteAsync(End, cancellationToken).AsTask();

    /// <summary>Ends the log and adds a <c>note</c> key after it.</summary>
    public async Task EndAsync(string note, CancellationToken cancellationToken)
    {
        await output.WriteAsync("\",\"note\":\""u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await WriteAsync(note, cancellationToken).ConfigureAwait(false);
        await EndAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task WriteAsync(string text, CancellationToken cancellationToken) =>
        output.WriteAsync(JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes.ToArray(), cancellationToken).AsTask();

    public async Task WriteAsync(Stream log, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(log, Encoding.UTF8);
        var buffer = new char[16 * 1024];
        var carry = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(carry), cancellationToken).ConfigureAwait(false)) > 0)
        {
            var length = carry + read;

            // A surrogate pair split across reads is kept whole for the next chunk.
            carry = char.IsHighSurrogate(buffer[length - 1]) ? 1 : 0;
            await WriteAsync(new string(buffer, 0, length - carry), cancellationToken).ConfigureAwait(false);
            if (carry == 1)
            {
                buffer[0] = buffer[length - 1];
            }
        }

        if (carry == 1)
        {
            await WriteAsync(buffer[0].ToString(), cancellationToken).ConfigureAwait(false);
        }
    }
}
