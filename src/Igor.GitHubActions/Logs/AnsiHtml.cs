using System.Globalization;
using System.Net;
using System.Text;

namespace Igor.GitHubActions.Logs;

/// <summary>
/// Renders text with ANSI SGR sequences (colours, bold, italic, underline) as HTML-escaped text in spans; any other
/// escape sequence is dropped. The state carries over from line to line, as in a terminal.
/// </summary>
internal sealed class AnsiHtml
{
    private string? _foreground;
    private string? _background;
    private bool _bold;
    private bool _italic;
    private bool _underline;

    public void Write(string text, StringBuilder html)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\x1B')
            {
                continue;
            }

            Append(text[start..i], html);
            var end = i + 1;
            if (end < text.Length && text[end] == '[')
            {
                end++;
                while (end < text.Length && text[end] is (>= '0' and <= '9') or ';' or '?')
                {
                    end++;
                }

                if (end < text.Length && text[end] == 'm')
                {
                    Apply(text[(i + 2)..end]);
                }
            }

            i = Math.Min(end, text.Length - 1);
            start = i + 1;
        }

        Append(text[Math.Min(start, text.Length)..], html);
    }

    private void Append(string segment, StringBuilder html)
    {
        if (segment.Length == 0)
        {
            return;
        }

        var classes = new List<string>(4);
        if (_bold)
        {
            classes.Add("b");
        }

        if (_italic)
        {
            classes.Add("i");
        }

        if (_underline)
        {
            classes.Add("u");
        }

        var style = new StringBuilder();
        AddColour(_foreground, "f", "color", classes, style);
        AddColour(_background, "g", "background-color", classes, style);
        if (classes.Count == 0 && style.Length == 0)
        {
            html.Append(WebUtility.HtmlEncode(segment));
            return;
        }

        html.Append("<span");
        if (classes.Count > 0)
        {
            html.Append(" class=\"").Append(string.Join(' ', classes)).Append('"');
        }

        if (style.Length > 0)
        {
            html.Append(" style=\"").Append(style).Append('"');
        }

        html.Append('>').Append(WebUtility.HtmlEncode(segment)).Append("</span>");
    }

    /// <summary>Basic colours become classes (themable); 256-colour and true-colour values become a style.</summary>
    private static void AddColour(string? colour, string prefix, string property, List<string> classes, StringBuilder style)
    {
        if (colour is null)
        {
            return;
        }

        if (colour.StartsWith('#'))
        {
            style.Append(property).Append(':').Append(colour).Append(';');
        }
        else
        {
            classes.Add(prefix + colour);
        }
    }

    private void Apply(string parameters)
    {
        var codes = parameters.Length == 0 ? [0] : parameters.Split(';').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 0).ToArray();
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            switch (code)
            {
                case 0: _foreground = _background = null; _bold = _italic = _underline = false; break;
                case 1: _bold = true; break;
                case 3: _italic = true; break;
                case 4: _underline = true; break;
                case 22: _bold = false; break;
                case 23: _italic = false; break;
                case 24: _underline = false; break;
                case >= 30 and <= 37: _foreground = (code - 30).ToString(CultureInfo.InvariantCulture); break;
                case >= 90 and <= 97: _foreground = (code - 90 + 8).ToString(CultureInfo.InvariantCulture); break;
                case 39: _foreground = null; break;
                case >= 40 and <= 47: _background = (code - 40).ToString(CultureInfo.InvariantCulture); break;
                case >= 100 and <= 107: _background = (code - 100 + 8).ToString(CultureInfo.InvariantCulture); break;
                case 49: _background = null; break;
                case 38 or 48:
                    var colour = Extended(codes, ref i);
                    if (code == 38)
                    {
                        _foreground = colour;
                    }
                    else
                    {
                        _background = colour;
                    }

                    break;
            }
        }
    }

    /// <summary><c>5;n</c> (256 colours) or <c>2;r;g;b</c>, as a class for the 16 basic colours or a #rrggbb value.</summary>
    private static string? Extended(int[] codes, ref int i)
    {
        if (i + 2 < codes.Length && codes[i + 1] == 5)
        {
            var n = Math.Clamp(codes[i + 2], 0, 255);
            i += 2;
            if (n < 16)
            {
                return n.ToString(CultureInfo.InvariantCulture);
            }

            if (n >= 232)
            {
                var grey = 8 + ((n - 232) * 10);
                return Hex(grey, grey, grey);
            }

            n -= 16;
            static int Level(int v) => v == 0 ? 0 : 55 + (v * 40);
            return Hex(Level(n / 36), Level(n / 6 % 6), Level(n % 6));
        }

        if (i + 4 < codes.Length && codes[i + 1] == 2)
        {
            var colour = Hex(codes[i + 2], codes[i + 3], codes[i + 4]);
            i += 4;
            return colour;
        }

        return null;
    }

    private static string Hex(int r, int g, int b) =>
        string.Create(CultureInfo.InvariantCulture, $"#{Math.Clamp(r, 0, 255):x2}{Math.Clamp(g, 0, 255):x2}{Math.Clamp(b, 0, 255):x2}");
}
