namespace Stoker.Silo.Api.Tables;

/// <summary>A column of a <c>meta.k8s.io</c> Table: a CRD printer column, or the Name column every table starts with.</summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority, JsonPathExpression? Path);
