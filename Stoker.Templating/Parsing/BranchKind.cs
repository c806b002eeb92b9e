namespace Stoker.Templating.Parsing;

internal enum BranchKind
{
    If,
    With,
    Range,
}
