using Stoker.Templating.Execution;

namespace Stoker.Templating.Parsing;

/// <summary>
/// Go's text/template parser (parse/parse.go) over the token list. Differences: errors carry a
/// column; <c>define</c>, <c>template</c> and <c>block</c> are refused; nesting is capped so a
/// hostile file cannot overflow the stack.
/// </summary>
internal sealed class Parser
{
    private const int MaxDepth = 256;

    private readonly List<Token> _tokens;
    private readonly List<string> _vars = ["$"];
    private int _index;
    private int _rangeDepth;
    private int _depth;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static ListNode Parse(string name, string text)
    {
        var parser = new Parser(Lexer.Lex(text));
        try
        {
            return parser.ParseRoot();
        }
        catch (ParseFailure failure)
        {
            var (line, column) = TextLocation.Of(text, failure.Pos);
            throw new TemplateParseException(name, line, column, failure.Message);
        }
    }

    private ListNode ParseRoot()
    {
        var root = new ListNode(Peek().Pos);
        while (Peek().Kind != TokenKind.Eof)
        {
            var node = TextOrAction();
            if (node is EndNode or ElseNode)
            {
                throw new ParseFailure(node.Pos, "unexpected " + node);
            }

            root.Nodes.Add(node);
        }

        return root;
    }

    // textOrAction: text | action. Comments never reach the parser.
    private Node TextOrAction()
    {
        var token = NextNonSpace();
        return token.Kind switch
        {
            TokenKind.Text => new TextNode(token.Pos, token.Value),
            TokenKind.LeftDelim => Action(),
            _ => throw Unexpected(token, "input"),
        };
    }

    private Node Action()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Block or TokenKind.Define or TokenKind.Template:
                throw new ParseFailure(
                    token.Pos,
                    "{{" + token.Value + "}} is not supported: each file is a single template");
            case TokenKind.Break:
                return LoopControl(token, "break");
            case TokenKind.Continue:
                return LoopControl(token, "continue");
            case TokenKind.Else:
                return ElseControl(token);
            case TokenKind.End:
                Expect(TokenKind.RightDelim, "end");
                return new EndNode(token.Pos);
            case TokenKind.If:
                return Control(token, BranchKind.If);
            case TokenKind.Range:
                return Control(token, BranchKind.Range);
            case TokenKind.With:
                return Control(token, BranchKind.With);
        }

        Backup();
        // Variables declared here persist until the enclosing {{end}}.
        return new ActionNode(Peek().Pos, Pipeline("command", TokenKind.RightDelim));
    }

    private Node LoopControl(Token keyword, string name)
    {
        var token = NextNonSpace();
        if (token.Kind != TokenKind.RightDelim)
        {
            throw Unexpected(token, "{{" + name + "}}");
        }

        if (_rangeDepth == 0)
        {
            throw new ParseFailure(keyword.Pos, "{{" + name + "}} outside {{range}}");
        }

        return name == "break" ? new BreakNode(keyword.Pos) : new ContinueNode(keyword.Pos);
    }

    private ElseNode ElseControl(Token keyword)
    {
        // "{{else if ...}}" and "{{else with ...}}" leave the keyword for the enclosing control.
        var peek = PeekNonSpace();
        if (peek.Kind is TokenKind.If or TokenKind.With)
        {
            return new ElseNode(peek.Pos);
        }

        Expect(TokenKind.RightDelim, "else");
        return new ElseNode(keyword.Pos);
    }

    private BranchNode Control(Token keyword, BranchKind kind)
    {
        var context = kind switch
        {
            BranchKind.If => "if",
            BranchKind.With => "with",
            _ => "range",
        };
        if (++_depth > MaxDepth)
        {
            throw new ParseFailure(keyword.Pos, "max nesting depth exceeded");
        }

        var varMark = _vars.Count;
        var pipe = Pipeline(context, TokenKind.RightDelim);
        if (kind == BranchKind.Range)
        {
            _rangeDepth++;
        }

        var (list, next) = ItemList(keyword, context);
        if (kind == BranchKind.Range)
        {
            _rangeDepth--;
        }

        ListNode? elseList = null;
        if (next is ElseNode)
        {
            // {{if a}}x{{else if b}}y{{end}} is {{if a}}x{{else}}{{if b}}y{{end}}{{end}}.
            if ((kind == BranchKind.If && Peek().Kind == TokenKind.If) ||
                (kind == BranchKind.With && Peek().Kind == TokenKind.With))
            {
                var chained = Next();
                elseList = new ListNode(next.Pos);
                elseList.Nodes.Add(Control(chained, kind));
            }
            else
            {
                (elseList, next) = ItemList(keyword, context);
                if (next is not EndNode)
                {
                    throw new ParseFailure(next.Pos, "expected end; found " + next);
                }
            }
        }

        _vars.RemoveRange(varMark, _vars.Count - varMark);
        _depth--;
        return new BranchNode(pipe.Pos, kind, pipe, list, elseList);
    }

    private (ListNode List, Node Next) ItemList(Token opener, string context)
    {
        var list = new ListNode(PeekNonSpace().Pos);
        while (PeekNonSpace().Kind != TokenKind.Eof)
        {
            var node = TextOrAction();
            if (node is EndNode or ElseNode)
            {
                return (list, node);
            }

            list.Nodes.Add(node);
        }

        throw new ParseFailure(opener.Pos, "unexpected EOF: {{" + context + "}} has no matching {{end}}");
    }

    // pipeline: declarations? command ('|' command)*
    private PipeNode Pipeline(string context, TokenKind end)
    {
        var pipe = new PipeNode(PeekNonSpace().Pos);
        ParseDeclarations(pipe, context);
        while (true)
        {
            var token = NextNonSpace();
            if (token.Kind == end)
            {
                CheckPipeline(pipe, context, token);
                return pipe;
            }

            switch (token.Kind)
            {
                case TokenKind.Bool or TokenKind.CharConstant or TokenKind.Complex or TokenKind.Dot or TokenKind.Field
                    or TokenKind.Identifier or TokenKind.Number or TokenKind.Nil or TokenKind.RawString
                    or TokenKind.String or TokenKind.Variable or TokenKind.LeftParen:
                    Backup();
                    pipe.Cmds.Add(Command());
                    break;
                default:
                    throw Unexpected(token, context);
            }
        }
    }

    private void ParseDeclarations(PipeNode pipe, string context)
    {
        while (PeekNonSpace().Kind == TokenKind.Variable)
        {
            var save = _index;
            var variable = Next();
            var next = PeekNonSpace();
            if (next.Kind is TokenKind.Assign or TokenKind.Declare)
            {
                pipe.IsAssign = next.Kind == TokenKind.Assign;
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(variable.Pos, [variable.Value]));
                _vars.Add(variable.Value);
                return;
            }

            if (next.Kind == TokenKind.Char && next.Value == ",")
            {
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(variable.Pos, [variable.Value]));
                _vars.Add(variable.Value);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    var after = PeekNonSpace();
                    if (after.Kind is TokenKind.Variable or TokenKind.RightDelim or TokenKind.RightParen)
                    {
                        continue;
                    }

                    throw new ParseFailure(after.Pos, "range can only initialize variables");
                }

                throw new ParseFailure(next.Pos, "too many declarations in " + context);
            }

            // A variable used as an operand, not declared: rewind.
            _index = save;
            return;
        }
    }

    private static void CheckPipeline(PipeNode pipe, string context, Token end)
    {
        if (pipe.Cmds.Count == 0)
        {
            throw new ParseFailure(end.Pos, "missing value for " + context);
        }

        for (var i = 1; i < pipe.Cmds.Count; i++)
        {
            if (pipe.Cmds[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
            {
                throw new ParseFailure(pipe.Cmds[i].Pos, "non executable command in pipeline stage " + (i + 1));
            }
        }
    }

    // command: operand (space operand)*, up to '|' or the end of the pipeline.
    private CommandNode Command()
    {
        var command = new CommandNode(PeekNonSpace().Pos);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand is not null)
            {
                command.Args.Add(operand);
            }

            var token = Next();
            if (token.Kind == TokenKind.Space)
            {
                continue;
            }

            if (token.Kind is TokenKind.RightDelim or TokenKind.RightParen)
            {
                Backup();
            }
            else if (token.Kind != TokenKind.Pipe)
            {
                throw Unexpected(token, "operand");
            }

            break;
        }

        if (command.Args.Count == 0)
        {
            throw new ParseFailure(command.Pos, "empty command");
        }

        return command;
    }

    // operand: term .Field*
    private Node? Operand()
    {
        var node = Term();
        if (node is null || Peek().Kind != TokenKind.Field)
        {
            return node;
        }

        var chainPos = Peek().Pos;
        var fields = new List<string>();
        while (Peek().Kind == TokenKind.Field)
        {
            fields.Add(Next().Value[1..]);
        }

        return node switch
        {
            FieldNode field => new FieldNode(chainPos, [.. field.Ident, .. fields]),
            VariableNode variable => new VariableNode(chainPos, [.. variable.Ident, .. fields]),
            BoolNode or StringNode or NumberNode or NilNode or DotNode =>
                throw new ParseFailure(chainPos, "unexpected . after term " + GoQuote.Quote(node.ToString())),
            _ => new ChainNode(chainPos, node, fields),
        };
    }

    private Node? Term()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                if (!Builtins.IsDefined(token.Value))
                {
                    var reason = Builtins.IsUnsupported(token.Value)
                        ? "function " + GoQuote.Quote(token.Value) + " is not supported"
                        : "function " + GoQuote.Quote(token.Value) + " not defined";
                    throw new ParseFailure(token.Pos, reason);
                }

                return new IdentifierNode(token.Pos, token.Value);
            case TokenKind.Dot:
                return new DotNode(token.Pos);
            case TokenKind.Nil:
                return new NilNode(token.Pos);
            case TokenKind.Variable:
                if (!_vars.Contains(token.Value, StringComparer.Ordinal))
                {
                    throw new ParseFailure(token.Pos, "undefined variable " + GoQuote.Quote(token.Value));
                }

                return new VariableNode(token.Pos, [token.Value]);
            case TokenKind.Field:
                return new FieldNode(token.Pos, [token.Value[1..]]);
            case TokenKind.Bool:
                return new BoolNode(token.Pos, token.Value == "true");
            case TokenKind.CharConstant or TokenKind.Complex or TokenKind.Number:
                var number = new NumberNode(token.Pos, token.Value);
                var error = GoLiterals.ReadNumber(number, token.Kind);
                return error is null ? number : throw new ParseFailure(token.Pos, error);
            case TokenKind.LeftParen:
                if (++_depth > MaxDepth)
                {
                    throw new ParseFailure(token.Pos, "max expression depth exceeded");
                }

                var pipe = Pipeline("parenthesized pipeline", TokenKind.RightParen);
                _depth--;
                return pipe;
            case TokenKind.String or TokenKind.RawString:
                if (!GoLiterals.TryUnquote(token.Value, out var text))
                {
                    throw new ParseFailure(token.Pos, "invalid syntax in string literal " + token.Value);
                }

                return new StringNode(token.Pos, token.Value, text);
        }

        Backup();
        return null;
    }

    private void Expect(TokenKind kind, string context)
    {
        var token = NextNonSpace();
        if (token.Kind != kind)
        {
            throw Unexpected(token, context);
        }
    }

    private static ParseFailure Unexpected(Token token, string context) =>
        token.Kind == TokenKind.Error
            ? new ParseFailure(token.Pos, token.Value)
            : new ParseFailure(token.Pos, "unexpected " + token + " in " + context);

    // The list always ends in EOF or an error token; reading past it keeps returning that token.
    private Token Next()
    {
        var token = _tokens[Math.Min(_index, _tokens.Count - 1)];
        _index++;
        return token;
    }

    private void Backup() => _index--;

    private Token Peek() => _tokens[Math.Min(_index, _tokens.Count - 1)];

    private Token NextNonSpace()
    {
        Token token;
        do
        {
            token = Next();
        }
        while (token.Kind == TokenKind.Space);

        return token;
    }

    private Token PeekNonSpace()
    {
        var token = NextNonSpace();
        Backup();
        return token;
    }
}
