using System.Text;

namespace Igor.GitHubActions.Logs;

/// <summary>
/// Reads lines of at most <c>maxLength</c> characters from a log, however long a line GitHub serves: the rest of a
/// longer line is read past and dropped, so one line costs bounded memory (a 200 MB log without a newline included).
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLength)
{
    private readonly char[] _buffer = new char[8192];
    private int _position;
    private int _length;

    /// <summary>The next line (without its end), and whether it was cut; null at the end of the log.</summary>
    public async ValueTask<(string Text, bool Cut)?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var cut = false;
        var started = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = await reader.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                _position = 0;
                if (_length == 0)
                {
                    return started ? (Trim(line), cut) : null;
                }
            }

            started = true;
            var newline = Array.IndexOf(_buffer, '\n', _position, _length - _position);
            var end = newline < 0 ? _length : newline;
            var room = maxLength - line.Length;
            var take = Math.Min(end - _position, room);
            line.Append(_buffer, _position, take);
            cut |= end - _position > take;
            _position = newline < 0 ? _length : newline + 1;
            if (newline >= 0)
            {
                return (Trim(line), cut);
            }
        }
    }

    /// <summary>What a cut line ends with where a reader sees it.</summary>
    public static string Marker(int maxLength) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $" … [line cut: longer than {maxLength:N0} characters]");

    private static string Trim(StringBuilder line) =>
        line.Length > 0 && line[^1] == '\r' ? line.ToString(0, line.Length - 1) : line.ToString();
}
