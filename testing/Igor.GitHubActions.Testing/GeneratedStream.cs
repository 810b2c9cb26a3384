using System.Text;

namespace Igor.GitHubActions.Testing;

/// <summary>A read-only stream of <paramref name="length"/> bytes of timestamped log lines, generated as it is read (nothing is held).</summary>
public sealed class GeneratedStream(long length) : Stream
{
    private static readonly byte[] Line = Encoding.ASCII.GetBytes(
        "2026-11-24T10:00:00.1234567Z \u001b[32mgenerated\u001b[0m log line of a very long job: lorem ipsum dolor sit amet, consectetur\n");

    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = (int)Math.Min(buffer.Length, length - _position);
        for (var written = 0; written < total;)
        {
            var at = (int)(_position % Line.Length);
            var n = Math.Min(total - written, Line.Length - at);
            Line.AsSpan(at, n).CopyTo(buffer[written..]);
            written += n;
            _position += n;
        }

        return total;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
