using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using static Igor.GitHubActions.Testing.Workflows.ExpressionEvaluator;

namespace Igor.GitHubActions.Testing.Workflows;

/// <summary>A recursive-descent parser that evaluates one expression while parsing it. Throws <see cref="FormatException"/> on syntax errors.</summary>
internal sealed class ExpressionParser(string text, JsonObject contexts)
{
    private int _position;

    public object? ParseAll()
    {
        var value = ParseOr();
        SkipWhitespace();
        return _position == text.Length ? value : throw new FormatException($"Unexpected '{text[_position..]}'.");
    }

    private object? ParseOr()
    {
        var left = ParseAnd();
        while (Match("||"))
        {
            var right = ParseAnd();
            left = Truthy(left) ? left : right;
        }

        return left;
    }

    private object? ParseAnd()
    {
        var left = ParseComparison();
        while (Match("&&"))
        {
            var right = ParseComparison();
            left = Truthy(left) ? right : left;
        }

        return left;
    }

    private object? ParseComparison()
    {
        var left = ParseUnary();
        while (true)
        {
            if (Match("=="))
            {
                left = LooseEquals(left, ParseUnary());
            }
            else if (Match("!="))
            {
                left = !LooseEquals(left, ParseUnary());
            }
            else if (Match("<="))
            {
                left = ToNumber(left) <= ToNumber(ParseUnary());
            }
            else if (Match(">="))
            {
                left = ToNumber(left) >= ToNumber(ParseUnary());
            }
            else if (Match("<"))
            {
                left = ToNumber(left) < ToNumber(ParseUnary());
            }
            else if (Match(">"))
            {
                left = ToNumber(left) > ToNumber(ParseUnary());
            }
            else
            {
                return left;
            }
        }
    }

    private object? ParseUnary()
    {
        SkipWhitespace();
        if (Peek('!') && !(_position + 1 < text.Length && text[_position + 1] == '='))
        {
            _position++;
            return !Truthy(ParseUnary());
        }

        var value = ParsePrimary();
        while (true)
        {
            SkipWhitespace();
            if (Peek('.'))
            {
                _position++;
                value = Member(value, ReadIdentifier());
            }
            else if (Peek('['))
            {
                _position++;
                var index = ParseOr();
                Expect(']');
                value = index is double d ? Element(value, (int)d) : Member(value, ToText(index));
            }
            else
            {
                return value;
            }
        }
    }

    private object? ParsePrimary()
    {
        SkipWhitespace();
        if (_position >= text.Length)
        {
            throw new FormatException("Unexpected end of expression.");
        }

        var c = text[_position];
        if (c == '(')
        {
            _position++;
            var value = ParseOr();
            Expect(')');
            return value;
        }

        if (c == '\'')
        {
            return ReadString();
        }

        if (char.IsDigit(c) || (c == '-' && _position + 1 < text.Length && char.IsDigit(text[_position + 1])))
        {
            var start = _position++;
            while (_position < text.Length && (char.IsDigit(text[_position]) || text[_position] is '.' or 'e' or 'E'))
            {
                _position++;
            }

            return double.Parse(text[start.._position], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        var identifier = ReadIdentifier();
        SkipWhitespace();
        if (Peek('('))
        {
            _position++;
            var arguments = new List<object?>();
            SkipWhitespace();
            if (!Peek(')'))
            {
                do
                {
                    arguments.Add(ParseOr());
                }
                while (Match(","));
            }

            Expect(')');
            return ExpressionFunctions.Call(identifier, arguments);
        }

        return identifier.ToUpperInvariant() switch
        {
            "TRUE" => true,
            "FALSE" => false,
            "NULL" => null,
            _ => Member(contexts, identifier),
        };
    }

    private static object? Member(object? value, string name)
    {
        if (value is not JsonObject obj)
        {
            return null;
        }

        foreach (var (key, child) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return FromJson(child);
            }
        }

        return null;
    }

    private static object? Element(object? value, int index) =>
        value is JsonArray array && index >= 0 && index < array.Count ? FromJson(array[index]) : null;

    private string ReadString()
    {
        _position++;
        var value = new StringBuilder();
        while (_position < text.Length)
        {
            if (text[_position] == '\'')
            {
                if (_position + 1 < text.Length && text[_position + 1] == '\'')
                {
                    value.Append('\'');
                    _position += 2;
                    continue;
                }

                _position++;
                return value.ToString();
            }

            value.Append(text[_position++]);
        }

        throw new FormatException("Unterminated string.");
    }

    private string ReadIdentifier()
    {
        SkipWhitespace();
        var start = _position;
        while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '-' or '*'))
        {
            _position++;
        }

        return _position > start ? text[start.._position] : throw new FormatException($"Identifier expected at {start}.");
    }

    private bool Match(string token)
    {
        SkipWhitespace();
        if (string.CompareOrdinal(text, _position, token, 0, token.Length) == 0)
        {
            _position += token.Length;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        SkipWhitespace();
        if (!Peek(c))
        {
            throw new FormatException($"'{c}' expected.");
        }

        _position++;
    }

    private bool Peek(char c) => _position < text.Length && text[_position] == c;

    private void SkipWhitespace()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
    }
}
