using System.Globalization;
using System.Text;
using Stoker.Templating.Parsing;

namespace Stoker.Templating.Execution;

/// <summary>
/// Go's text/template exec.go with <c>missingkey=error</c>. One instance renders once; like Go it
/// remembers the node being evaluated so an error names it (<c>at &lt;.Vars.x&gt;</c>).
/// </summary>
internal sealed class Executor(string name, string text)
{
    // Stands for "no value from a previous pipeline stage", distinct from nil.
    private static readonly object Missing = new();

    private readonly StringBuilder _output = new();
    private readonly List<KeyValuePair<string, object?>> _vars = [];
    private Node? _node;
    private long _steps;

    public string Execute(ListNode root, object? data)
    {
        var dot = GoValues.Normalize(data);
        _vars.Add(new("$", dot));
        _node = root;
        Walk(dot, root);
        return _output.ToString();
    }

    private void At(Node node) => _node = node;

    /// <summary>Counts one step against <see cref="TemplateLimits.MaxSteps"/>, so no template runs for ever.</summary>
    private void Step()
    {
        if (++_steps > TemplateLimits.MaxSteps)
        {
            throw Fail(string.Create(CultureInfo.InvariantCulture,
                $"more than {TemplateLimits.MaxSteps} steps (the limit for rendering one template)"));
        }
    }

    private void Append(string value)
    {
        if (value.Length > TemplateLimits.MaxOutputChars - _output.Length)
        {
            throw Fail(string.Create(CultureInfo.InvariantCulture,
                $"output longer than {TemplateLimits.MaxOutputChars} characters (the limit for rendering one template)"));
        }

        _output.Append(value);
    }

    private TemplateExecutionException Fail(string reason)
    {
        var node = _node!;
        var (line, column) = TextLocation.Of(text, node.Pos);
        return new TemplateExecutionException(name, line, column, node.ToString(), reason);
    }

    private WalkControl Walk(object? dot, Node node)
    {
        At(node);
        Step();
        switch (node)
        {
            case ActionNode action:
                var value = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Decl.Count == 0)
                {
                    PrintValue(action, value);
                }

                return WalkControl.Normal;
            case TextNode textNode:
                Append(textNode.Text);
                return WalkControl.Normal;
            case ListNode list:
                foreach (var child in list.Nodes)
                {
                    var control = Walk(dot, child);
                    if (control != WalkControl.Normal)
                    {
                        return control;
                    }
                }

                return WalkControl.Normal;
            case BranchNode { Kind: BranchKind.Range } range:
                WalkRange(dot, range);
                return WalkControl.Normal;
            case BranchNode branch:
                return WalkIfOrWith(dot, branch);
            case BreakNode:
                return WalkControl.Break;
            case ContinueNode:
                return WalkControl.Continue;
            default:
                throw Fail("unknown node: " + node);
        }
    }

    private WalkControl WalkIfOrWith(object? dot, BranchNode branch)
    {
        var mark = _vars.Count;
        try
        {
            var value = EvalPipeline(dot, branch.Pipe);
            if (GoValues.IsTrue(value))
            {
                return Walk(branch.Kind == BranchKind.With ? value : dot, branch.List);
            }

            return branch.ElseList is null ? WalkControl.Normal : Walk(dot, branch.ElseList);
        }
        finally
        {
            Pop(mark);
        }
    }

    private void WalkRange(object? dot, BranchNode range)
    {
        At(range);
        var outer = _vars.Count;
        try
        {
            var value = EvalPipeline(dot, range.Pipe);
            var mark = _vars.Count;
            var ran = false;
            foreach (var (index, element) in Iterate(value, range))
            {
                At(range);
                Step();
                ran = true;
                SetRangeVariables(range.Pipe, index, element);
                var control = Walk(element, range.List);
                Pop(mark);
                if (control == WalkControl.Break)
                {
                    break;
                }
            }

            if (!ran && range.ElseList is not null)
            {
                Walk(dot, range.ElseList);
            }
        }
        finally
        {
            Pop(outer);
        }
    }

    private IEnumerable<(object? Index, object? Element)> Iterate(object? value, BranchNode range)
    {
        switch (value)
        {
            case null:
                yield break;
            case long count:
                if (range.Pipe.Decl.Count > 1)
                {
                    throw Fail("can't use " + Sprint(value) + " to iterate over more than one variable");
                }

                for (var i = 0L; i < count; i++)
                {
                    yield return (null, i);
                }

                yield break;
        }

        if (GoValues.IsList(value, out var list))
        {
            for (var i = 0; i < list.Count; i++)
            {
                yield return ((long)i, GoValues.Normalize(list[i]));
            }

            yield break;
        }

        var map = GoMap.From(value);
        if (map is null)
        {
            throw Fail("range can't iterate over " + Sprint(value));
        }

        foreach (var key in map.SortedKeys())
        {
            map.TryGet(key, out var element);
            yield return (key, element);
        }
    }

    // With ":=" the pipeline pushed the variables; overwrite them. With "=" assign the outer ones.
    private void SetRangeVariables(PipeNode pipe, object? index, object? element)
    {
        if (pipe.Decl.Count > 0)
        {
            if (pipe.IsAssign)
            {
                SetVar(pipe.Decl[0].Ident[0], pipe.Decl.Count > 1 ? index : element);
            }
            else
            {
                SetTopVar(1, element);
            }
        }

        if (pipe.Decl.Count > 1)
        {
            if (pipe.IsAssign)
            {
                SetVar(pipe.Decl[1].Ident[0], element);
            }
            else
            {
                SetTopVar(2, index);
            }
        }
    }

    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        At(pipe);
        var value = Missing;
        foreach (var command in pipe.Cmds)
        {
            value = EvalCommand(dot, command, value);
        }

        foreach (var variable in pipe.Decl)
        {
            if (pipe.IsAssign)
            {
                SetVar(variable.Ident[0], value);
            }
            else
            {
                _vars.Add(new(variable.Ident[0], value));
            }
        }

        return value;
    }

    private object? EvalCommand(object? dot, CommandNode command, object? final)
    {
        var first = command.Args[0];
        switch (first)
        {
            case FieldNode field:
                return EvalFieldNode(dot, field, command.Args, final);
            case ChainNode chain:
                return EvalChainNode(dot, chain, command.Args, final);
            case IdentifierNode identifier:
                return EvalFunction(dot, identifier, command, command.Args, final);
            case PipeNode pipe:
                NotAFunction(command.Args, final);
                return EvalPipeline(dot, pipe);
            case VariableNode variable:
                return EvalVariableNode(variable, command.Args, final);
        }

        At(first);
        NotAFunction(command.Args, final);
        return first switch
        {
            BoolNode b => b.Value,
            DotNode => dot,
            NilNode => throw Fail("nil is not a command"),
            NumberNode number => IdealConstant(number),
            StringNode s => s.Text,
            _ => throw Fail("can't evaluate command " + GoQuote.Quote(first.ToString())),
        };
    }

    private void NotAFunction(IReadOnlyList<Node> args, object? final)
    {
        if (args.Count > 1 || !ReferenceEquals(final, Missing))
        {
            throw Fail("can't give argument to non-function " + args[0]);
        }
    }

    private object? IdealConstant(NumberNode number)
    {
        At(number);
        var text = number.Text;
        var isHexInt = text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X' && text.IndexOfAny(['p', 'P']) < 0;
        if (number.IsFloat && !isHexInt && !text.StartsWith('\'') && text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) >= 0)
        {
            return number.Float64;
        }

        if (number.IsInt)
        {
            return number.Int64;
        }

        throw Fail(text + " overflows int");
    }

    private object? EvalFieldNode(object? dot, FieldNode field, IReadOnlyList<Node>? args, object? final)
    {
        At(field);
        return EvalFieldChain(dot, field.Ident, args, final);
    }

    private object? EvalChainNode(object? dot, ChainNode chain, IReadOnlyList<Node>? args, object? final)
    {
        At(chain);
        if (chain.Node is NilNode)
        {
            throw Fail("indirection through explicit nil in " + chain);
        }

        var receiver = EvalArg(dot, chain.Node);
        At(chain);
        return EvalFieldChain(receiver, chain.Fields, args, final);
    }

    private object? EvalVariableNode(VariableNode variable, IReadOnlyList<Node>? args, object? final)
    {
        At(variable);
        var value = VarValue(variable.Ident[0]);
        if (variable.Ident.Count == 1)
        {
            NotAFunction(args ?? [variable], final);
            return value;
        }

        return EvalFieldChain(value, variable.Ident.Skip(1).ToList(), args, final);
    }

    private object? EvalFieldChain(object? receiver, IReadOnlyList<string> idents, IReadOnlyList<Node>? args, object? final)
    {
        for (var i = 0; i < idents.Count - 1; i++)
        {
            receiver = EvalField(idents[i], null, Missing, receiver, fromField: i > 0);
        }

        return EvalField(idents[^1], args, final, receiver, fromField: idents.Count > 1);
    }

    private object? EvalField(string fieldName, IReadOnlyList<Node>? args, object? final, object? receiver, bool fromField)
    {
        if (receiver is null)
        {
            // A nil value read out of a map is Go's nil interface; nil data is a missing map entry.
            throw Fail(fromField
                ? "nil pointer evaluating interface {}." + fieldName
                : "nil data; no entry for key " + GoQuote.Quote(fieldName));
        }

        var hasArgs = (args?.Count ?? 0) > 1 || !ReferenceEquals(final, Missing);
        if (receiver is TemplateObject obj && obj.TryGetField(fieldName, out var fieldValue))
        {
            if (hasArgs)
            {
                throw Fail(fieldName + " has arguments but cannot be invoked as function");
            }

            return GoValues.Normalize(fieldValue);
        }

        var map = GoMap.From(receiver);
        if (map is not null)
        {
            if (hasArgs)
            {
                throw Fail(fieldName + " is not a method but has arguments");
            }

            if (!map.TryGet(fieldName, out var value))
            {
                throw Fail("map has no entry for key " + GoQuote.Quote(fieldName));
            }

            return value;
        }

        throw Fail("can't evaluate field " + fieldName + " in type " + GoValues.TypeName(receiver));
    }

    private object? EvalFunction(object? dot, IdentifierNode identifier, Node command, IReadOnlyList<Node>? args, object? final)
    {
        At(identifier);
        var functionName = identifier.Name;
        var argNodes = args is null ? [] : args.Skip(1).ToList();
        var hasFinal = !ReferenceEquals(final, Missing);
        var numIn = argNodes.Count + (hasFinal ? 1 : 0);
        var (fixedCount, variadic) = Builtins.Signature(functionName);
        if (variadic && numIn < fixedCount)
        {
            throw Fail(string.Create(CultureInfo.InvariantCulture, $"wrong number of args for {functionName}: want at least {fixedCount} got {argNodes.Count}"));
        }

        if (!variadic && numIn != fixedCount)
        {
            throw Fail(string.Create(CultureInfo.InvariantCulture, $"wrong number of args for {functionName}: want {fixedCount} got {numIn}"));
        }

        if (functionName is "and" or "or")
        {
            return EvalAndOr(dot, functionName == "or", argNodes, final);
        }

        var values = new List<object?>(numIn);
        for (var i = 0; i < argNodes.Count; i++)
        {
            values.Add(functionName == "printf" && i == 0 ? EvalStringArg(dot, argNodes[i]) : EvalArg(dot, argNodes[i]));
        }

        if (hasFinal)
        {
            if (functionName == "printf" && argNodes.Count == 0)
            {
                RequireString(final);
            }

            values.Add(final);
        }

        try
        {
            return Builtins.Call(functionName, values);
        }
        catch (GoFuncException e)
        {
            At(command);
            throw Fail("error calling " + functionName + ": " + e.Message);
        }
    }

    // and/or stop at the first argument that decides the result and return it; a piped-in value comes last.
    private object? EvalAndOr(object? dot, bool isOr, IReadOnlyList<Node> argNodes, object? final)
    {
        object? value = null;
        foreach (var arg in argNodes)
        {
            value = EvalArg(dot, arg);
            if (GoValues.IsTrue(value) == isOr)
            {
                return value;
            }
        }

        return ReferenceEquals(final, Missing) ? value : final;
    }

    // The format argument of printf is a Go string parameter: literals of other kinds are refused.
    private object? EvalStringArg(object? dot, Node node)
    {
        At(node);
        switch (node)
        {
            case StringNode s:
                return s.Text;
            case NilNode:
                throw Fail("cannot assign nil to string");
            case BoolNode or NumberNode:
                throw Fail("expected string; found " + node);
        }

        var value = EvalArg(dot, node);
        RequireString(value);
        return value;
    }

    private void RequireString(object? value)
    {
        if (value is null)
        {
            throw Fail("invalid value; expected string");
        }

        if (value is not string)
        {
            throw Fail("wrong type for value; expected string; got " + GoValues.TypeName(value));
        }
    }

    private object? EvalArg(object? dot, Node node)
    {
        At(node);
        return node switch
        {
            DotNode => dot,
            NilNode => null,
            FieldNode field => EvalFieldNode(dot, field, [field], Missing),
            VariableNode variable => EvalVariableNode(variable, null, Missing),
            PipeNode pipe => EvalPipeline(dot, pipe),
            IdentifierNode identifier => EvalFunction(dot, identifier, identifier, null, Missing),
            ChainNode chain => EvalChainNode(dot, chain, null, Missing),
            BoolNode b => b.Value,
            NumberNode number => IdealConstant(number),
            StringNode s => s.Text,
            _ => throw Fail("can't handle assignment of " + node + " to empty interface argument"),
        };
    }

    private void PrintValue(Node node, object? value)
    {
        At(node);
        if (value is null)
        {
            Append("<no value>");
            return;
        }

        Append(Sprint(value));
    }

    private string Sprint(object? value)
    {
        try
        {
            return GoPrinter.Sprint([value]);
        }
        catch (GoFuncException e)
        {
            throw Fail(e.Message);
        }
    }

    private object? VarValue(string variable)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Key == variable)
            {
                return _vars[i].Value;
            }
        }

        throw Fail("undefined variable: " + variable);
    }

    private void SetVar(string variable, object? value)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Key == variable)
            {
                _vars[i] = new(variable, value);
                return;
            }
        }

        throw Fail("undefined variable: " + variable);
    }

    private void SetTopVar(int n, object? value) => _vars[^n] = new(_vars[^n].Key, value);

    private void Pop(int mark) => _vars.RemoveRange(mark, _vars.Count - mark);
}
