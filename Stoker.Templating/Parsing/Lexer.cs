using System.Globalization;
using System.Text;
using Stoker.Templating.Execution;

namespace Stoker.Templating.Parsing;

/// <summary>
/// Go's text/template lexer (parse/lex.go), run to completion into a token list. Stops at the
/// first error, which becomes the last token; the parser reports it when it gets there, so an
/// earlier parse error still wins, as in Go.
/// </summary>
internal sealed class Lexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";
    private const string LeftComment = "/*";
    private const string RightComment = "*/";
    private const int Eof = -1;
    private const int TrimMarkerLength = 2;

    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.Ordinal)
    {
        ["block"] = TokenKind.Block,
        ["break"] = TokenKind.Break,
        ["continue"] = TokenKind.Continue,
        ["define"] = TokenKind.Define,
        ["else"] = TokenKind.Else,
        ["end"] = TokenKind.End,
        ["if"] = TokenKind.If,
        ["range"] = TokenKind.Range,
        ["nil"] = TokenKind.Nil,
        ["template"] = TokenKind.Template,
        ["with"] = TokenKind.With,
    };

    private readonly string _input;
    private readonly List<Token> _tokens = [];
    private readonly Stack<int> _openParens = new();
    private int _pos;
    private int _start;
    private int _width;
    private int _actionStart;

    private Lexer(string input) => _input = input;

    public static List<Token> Lex(string input)
    {
        var lexer = new Lexer(input);
        lexer.LexText();
        return lexer._tokens;
    }

    private void LexText()
    {
        while (true)
        {
            var delim = _input.IndexOf(LeftDelim, _pos, StringComparison.Ordinal);
            if (delim < 0)
            {
                _pos = _input.Length;
                if (_pos > _start)
                {
                    Emit(TokenKind.Text);
                }

                Emit(TokenKind.Eof);
                return;
            }

            var textEnd = delim;
            if (HasLeftTrimMarker(delim + LeftDelim.Length))
            {
                textEnd -= RightTrimLength(_start, delim);
            }

            if (textEnd > _start)
            {
                _tokens.Add(new Token(TokenKind.Text, _start, _input[_start..textEnd]));
            }

            _pos = delim + LeftDelim.Length;
            var afterMarker = HasLeftTrimMarker(_pos) ? TrimMarkerLength : 0;
            if (StartsWith(_pos + afterMarker, LeftComment))
            {
                if (!LexComment(delim, _pos + afterMarker))
                {
                    return;
                }

                continue;
            }

            _tokens.Add(new Token(TokenKind.LeftDelim, delim, LeftDelim));
            _actionStart = delim;
            _pos += afterMarker;
            _start = _pos;
            _openParens.Clear();
            if (!LexInsideAction())
            {
                return;
            }
        }
    }

    private bool LexComment(int delim, int commentStart)
    {
        _pos = commentStart + LeftComment.Length;
        var end = _input.IndexOf(RightComment, _pos, StringComparison.Ordinal);
        if (end < 0)
        {
            return Error(delim, "unclosed comment");
        }

        _pos = end + RightComment.Length;
        var (isDelim, trim) = AtRightDelim();
        if (!isDelim)
        {
            return Error(_pos, "comment ends before closing delimiter");
        }

        if (trim)
        {
            _pos += TrimMarkerLength;
        }

        _pos += RightDelim.Length;
        if (trim)
        {
            _pos += LeftTrimLength(_pos);
        }

        _start = _pos;
        return true;
    }

    private void LexRightDelim(bool trim)
    {
        if (trim)
        {
            _pos += TrimMarkerLength;
        }

        _tokens.Add(new Token(TokenKind.RightDelim, _pos, RightDelim));
        _pos += RightDelim.Length;
        if (trim)
        {
            _pos += LeftTrimLength(_pos);
        }

        _start = _pos;
    }

    /// <summary>Lexes one action up to and including its right delimiter; false after an error.</summary>
    private bool LexInsideAction()
    {
        while (true)
        {
            var (isDelim, trim) = AtRightDelim();
            if (isDelim)
            {
                if (_openParens.Count == 0)
                {
                    LexRightDelim(trim);
                    return true;
                }

                return Error(_openParens.Peek(), "unclosed left paren");
            }

            var r = Next();
            bool ok;
            switch (r)
            {
                case Eof:
                    return Error(_actionStart, "unclosed action");
                case ' ' or '\t' or '\r' or '\n':
                    Backup();
                    if (LexSpace())
                    {
                        LexRightDelim(trim: true);
                        return true;
                    }

                    ok = true;
                    break;
                case '=':
                    ok = Emit(TokenKind.Assign);
                    break;
                case ':':
                    ok = Next() == '=' ? Emit(TokenKind.Declare) : Error(_start, "expected :=");
                    break;
                case '|':
                    ok = Emit(TokenKind.Pipe);
                    break;
                case '"':
                    ok = LexQuote();
                    break;
                case '`':
                    ok = LexRawQuote();
                    break;
                case '$':
                    ok = LexVariable();
                    break;
                case '\'':
                    ok = LexChar();
                    break;
                case '.' when _pos >= _input.Length || _input[_pos] < '0' || _input[_pos] > '9':
                    ok = LexFieldOrVariable(TokenKind.Field);
                    break;
                case '.' or '+' or '-' or (>= '0' and <= '9'):
                    Backup();
                    ok = LexNumber();
                    break;
                case '(':
                    _openParens.Push(_start);
                    ok = Emit(TokenKind.LeftParen);
                    break;
                case ')':
                    if (_openParens.Count == 0)
                    {
                        return Error(_start, "unexpected right paren");
                    }

                    _openParens.Pop();
                    ok = Emit(TokenKind.RightParen);
                    break;
                default:
                    if (IsAlphaNumeric(r))
                    {
                        Backup();
                        ok = LexIdentifier();
                    }
                    else if (r <= 0x7F && GoQuote.IsPrint(r))
                    {
                        ok = Emit(TokenKind.Char);
                    }
                    else
                    {
                        ok = Error(_start, "unrecognized character in action: " + FormatRune(r));
                    }

                    break;
            }

            if (!ok)
            {
                return false;
            }
        }
    }

    /// <summary>Lexes a run of spaces; true when they end in " -}}" and the action is over.</summary>
    private bool LexSpace()
    {
        var count = 0;
        while (IsSpace(Peek()))
        {
            Next();
            count++;
        }

        // A trim-marked right delimiter starts with a space: leave that space to the delimiter.
        if (HasRightTrimMarker(_pos - 1) && StartsWith(_pos - 1 + TrimMarkerLength, RightDelim))
        {
            _pos--;
            if (count == 1)
            {
                return true;
            }
        }

        Emit(TokenKind.Space);
        return false;
    }

    private bool LexIdentifier()
    {
        int r;
        do
        {
            r = Next();
        }
        while (IsAlphaNumeric(r));

        Backup();
        if (!AtTerminator())
        {
            return Error(_pos, "bad character " + FormatRune(Peek()));
        }

        var word = _input[_start.._pos];
        if (Keywords.TryGetValue(word, out var keyword))
        {
            return Emit(keyword);
        }

        return Emit(word is "true" or "false" ? TokenKind.Bool : TokenKind.Identifier);
    }

    private bool LexVariable() => AtTerminator() ? Emit(TokenKind.Variable) : LexFieldOrVariable(TokenKind.Variable);

    // The '.' or '$' has been consumed.
    private bool LexFieldOrVariable(TokenKind kind)
    {
        if (AtTerminator())
        {
            return Emit(kind == TokenKind.Variable ? TokenKind.Variable : TokenKind.Dot);
        }

        int r;
        do
        {
            r = Next();
        }
        while (IsAlphaNumeric(r));

        Backup();
        if (!AtTerminator())
        {
            return Error(_pos, "bad character " + FormatRune(Peek()));
        }

        return Emit(kind);
    }

    private bool LexChar()
    {
        while (true)
        {
            var r = Next();
            if (r == '\\')
            {
                r = Next();
                if (r != Eof && r != '\n')
                {
                    continue;
                }
            }

            if (r is Eof or '\n')
            {
                return Error(_start, "unterminated character constant");
            }

            if (r == '\'')
            {
                return Emit(TokenKind.CharConstant);
            }
        }
    }

    private bool LexQuote()
    {
        while (true)
        {
            var r = Next();
            if (r == '\\')
            {
                r = Next();
                if (r != Eof && r != '\n')
                {
                    continue;
                }
            }

            if (r is Eof or '\n')
            {
                return Error(_start, "unterminated quoted string");
            }

            if (r == '"')
            {
                return Emit(TokenKind.String);
            }
        }
    }

    private bool LexRawQuote()
    {
        while (true)
        {
            var r = Next();
            if (r == Eof)
            {
                return Error(_start, "unterminated raw quoted string");
            }

            if (r == '`')
            {
                return Emit(TokenKind.RawString);
            }
        }
    }

    private bool LexNumber()
    {
        if (!ScanNumber())
        {
            return Error(_start, "bad number syntax: " + GoQuote.Quote(_input[_start.._pos]));
        }

        var sign = Peek();
        if (sign is '+' or '-')
        {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if (!ScanNumber() || _input[_pos - 1] != 'i')
            {
                return Error(_start, "bad number syntax: " + GoQuote.Quote(_input[_start.._pos]));
            }

            return Emit(TokenKind.Complex);
        }

        return Emit(TokenKind.Number);
    }

    private bool ScanNumber()
    {
        Accept("+-");
        var digits = "0123456789_";
        if (Accept("0"))
        {
            if (Accept("xX"))
            {
                digits = "0123456789abcdefABCDEF_";
            }
            else if (Accept("oO"))
            {
                digits = "01234567_";
            }
            else if (Accept("bB"))
            {
                digits = "01_";
            }
        }

        AcceptRun(digits);
        if (Accept("."))
        {
            AcceptRun(digits);
        }

        if (digits.Length == 10 + 1 && Accept("eE"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }

        if (digits.Length == 16 + 6 + 1 && Accept("pP"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }

        Accept("i");
        if (IsAlphaNumeric(Peek()))
        {
            Next();
            return false;
        }

        return true;
    }

    private int Next()
    {
        if (_pos >= _input.Length)
        {
            _width = 0;
            return Eof;
        }

        if (Rune.DecodeFromUtf16(_input.AsSpan(_pos), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
        {
            rune = Rune.ReplacementChar;
            consumed = 1;
        }

        _width = consumed;
        _pos += consumed;
        return rune.Value;
    }

    private int Peek()
    {
        var r = Next();
        Backup();
        return r;
    }

    private void Backup() => _pos -= _width;

    private bool Accept(string valid)
    {
        var r = Next();
        if (r is >= 0 and < 0x80 && valid.Contains((char)r, StringComparison.Ordinal))
        {
            return true;
        }

        Backup();
        return false;
    }

    private void AcceptRun(string valid)
    {
        while (Accept(valid))
        {
        }
    }

    private bool Emit(TokenKind kind)
    {
        _tokens.Add(new Token(kind, _start, _input[_start.._pos]));
        _start = _pos;
        return true;
    }

    private bool Error(int position, string message)
    {
        _tokens.Add(new Token(TokenKind.Error, position, message));
        return false;
    }

    // Go's atTerminator: what may follow an identifier, field or variable.
    private bool AtTerminator()
    {
        var r = Peek();
        if (IsSpace(r))
        {
            return true;
        }

        return r is Eof or '.' or ',' or '|' or ':' or ')' or '(' || StartsWith(_pos, RightDelim);
    }

    private (bool IsDelim, bool Trim) AtRightDelim()
    {
        if (HasRightTrimMarker(_pos) && StartsWith(_pos + TrimMarkerLength, RightDelim))
        {
            return (true, true);
        }

        return (StartsWith(_pos, RightDelim), false);
    }

    private bool HasLeftTrimMarker(int at) => at + 1 < _input.Length && _input[at] == '-' && IsSpace(_input[at + 1]);

    private bool HasRightTrimMarker(int at) => at >= 0 && at + 1 < _input.Length && IsSpace(_input[at]) && _input[at + 1] == '-';

    private bool StartsWith(int at, string value) =>
        at <= _input.Length && _input.AsSpan(at).StartsWith(value, StringComparison.Ordinal);

    private int RightTrimLength(int start, int end)
    {
        var i = end;
        while (i > start && IsSpace(_input[i - 1]))
        {
            i--;
        }

        return end - i;
    }

    private int LeftTrimLength(int start)
    {
        var i = start;
        while (i < _input.Length && IsSpace(_input[i]))
        {
            i++;
        }

        return i - start;
    }

    private static bool IsSpace(int r) => r is ' ' or '\t' or '\r' or '\n';

    internal static bool IsAlphaNumeric(int r)
    {
        if (r == '_')
        {
            return true;
        }

        if (r < 0 || !Rune.IsValid(r))
        {
            return false;
        }

        var rune = new Rune(r);
        return Rune.IsLetter(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber;
    }

    // Go's %#U: U+0041 'A'.
    private static string FormatRune(int r)
    {
        if (r == Eof)
        {
            return "EOF";
        }

        var code = string.Create(CultureInfo.InvariantCulture, $"U+{r:X4}");
        return GoQuote.IsPrint(r) ? code + " '" + char.ConvertFromUtf32(r) + "'" : code;
    }
}
